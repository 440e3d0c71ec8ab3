package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.config.XApiConfig;
import io.xwr.config.XOAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * X's OAuth 2.0 token endpoint and the calls made with a user's own access token (who the user is, subscriptions
 * to the user's private activity). A public client names its client id in the form; a confidential one
 * authenticates with Basic auth. Tokens are never logged, and never put in an exception message.
 */
@ApplicationScoped
public class XOAuth {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final XOAuthConfig oauth;
    private final XApiConfig api;
    private final ObjectMapper mapper;
    private final java.time.Clock clock;

    XOAuth(XOAuthConfig oauth, XApiConfig api, ObjectMapper mapper, java.time.Clock clock) {
        this.oauth = oauth;
        this.api = api;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** What X's token endpoint grants. */
    public record Tokens(String accessToken, String refreshToken, long expiresInSeconds, String scope) {
        @Override
        public String toString() {
            return "Tokens[scope=" + scope + ", expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** Exchanges an authorization code (X gives it 30 seconds) with the PKCE verifier. */
    public Tokens exchange(String code, String verifier, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("code", code);
        form.put("grant_type", "authorization_code");
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return tokens(form);
    }

    /** A new access token (and, X rotating them, a new refresh token) for a refresh token. */
    public Tokens refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return tokens(form);
    }

    /** The user the access token belongs to: id and username. */
    public Map<String, String> me(String accessToken) {
        JsonNode data = send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/2/users/me"))
                        .header("Authorization", "Bearer " + accessToken)
                        .timeout(TIMEOUT)
                        .GET()
                        .build())
                .path("data");
        if (!data.hasNonNull("id")) {
            throw new XApiException.Rejected(200, "UnexpectedAnswer", "no user id in X's answer");
        }
        return Map.of(
                "id",
                data.path("id").asText(),
                "username",
                data.path("username").asText(""));
    }

    /** Subscribes the webhook to one of the user's event types, with the user's own token (private events). */
    public JsonNode subscribeAsUser(String accessToken, XRequests.CreateSubscription request) {
        try {
            return send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/2/activity/subscriptions"))
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json")
                    .timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(request)))
                    .build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Tokens tokens(Map<String, String> form) {
        String clientId = oauth.clientId()
                .orElseThrow(
                        () -> new XApiException.Rejected(401, "NotConfigured", "xwr.x.oauth.client-id is not set"));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(oauth.tokenUrl().orElse(api.baseUrl() + "/2/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(TIMEOUT);
        if (oauth.clientSecret().filter(s -> !s.isBlank()).isPresent()) {
            String basic = clientId + ":" + oauth.clientSecret().get();
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId);
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        JsonNode answer =
                send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (!answer.hasNonNull("access_token")) {
            throw new XApiException.Rejected(200, "UnexpectedAnswer", "no access token in X's answer");
        }
        return new Tokens(
                answer.path("access_token").asText(),
                answer.path("refresh_token").asText(null),
                answer.path("expires_in").asLong(7200),
                answer.path("scope").asText(""));
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new XApiException.Unavailable(
                    0, "X unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XApiException.Unavailable(0, "interrupted");
        }
        JsonNode body;
        try {
            body = answer.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(answer.body());
        } catch (IOException e) {
            body = mapper.createObjectNode();
        }
        int status = answer.statusCode();
        if (status == 429) { // like every other call to X: the operator is told when to try again
            long reset = answer.headers()
                    .firstValueAsLong("x-rate-limit-reset")
                    .orElse(clock.instant().plusSeconds(60).getEpochSecond());
            throw new XApiException.RateLimited("user-token calls", java.time.Instant.ofEpochSecond(reset));
        }
        if (status >= 500) {
            throw new XApiException.Unavailable(status, "X answered " + status);
        }
        if (status >= 300) {
            // OAuth errors name themselves ("invalid_grant"); API errors carry a title. Never the request.
            String reason = body.path("error").asText(body.path("title").asText("Refused"));
            throw new XApiException.Rejected(status, reason.replaceAll("[^A-Za-z_ ]", ""), "X refused: " + reason);
        }
        return body;
    }
}
