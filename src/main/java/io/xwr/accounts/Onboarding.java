package io.xwr.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.xwr.config.ReplayConfig;
import io.xwr.config.XOAuthConfig;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import io.xwr.xapi.XOAuth;
import io.xwr.xapi.XRequests;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connecting an X account (OAuth 2.0 Authorization Code Flow with PKCE, S256): {@link #start} hands the operator
 * X's authorize URL for the chosen event types; {@link #complete} takes X's callback, checks the state (single-use,
 * short-lived), exchanges the code at once (X gives it 30 seconds), looks the user up, stores the account with its
 * tokens encrypted, and subscribes the webhook to the chosen event types: private ones with the user's token,
 * public ones (profile updates) with the app's bearer.
 */
@ApplicationScoped
public class Onboarding {
    private static final Logger LOG = Logger.getLogger(Onboarding.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Accounts accounts;
    private final XOAuth oauth;
    private final XApi x;
    private final XOAuthConfig config;
    private final ReplayConfig replay;
    private final Clock clock;
    private final Optional<TokenCipher> cipher;

    Onboarding(Accounts accounts, XOAuth oauth, XApi x, XOAuthConfig config, ReplayConfig replay, Clock clock) {
        this.accounts = accounts;
        this.oauth = oauth;
        this.x = x;
        this.config = config;
        this.replay = replay;
        this.clock = clock;
        this.cipher = config.tokenKey().filter(k -> !k.isEmpty()).map(TokenCipher::new);
    }

    /** Why connecting cannot start (a setting missing), else empty. */
    public Optional<String> notReady() {
        if (config.clientId().filter(s -> !s.isBlank()).isEmpty()) {
            return Optional.of("xwr.x.oauth.client-id is not set");
        }
        if (config.redirectUri()
                .filter(s -> s.startsWith("https://") || s.startsWith("http://"))
                .isEmpty()) {
            return Optional.of("xwr.x.oauth.redirect-uri is not set");
        }
        if (cipher.isEmpty()) {
            return Optional.of("xwr.x.oauth.token-key is not set: users' tokens are stored encrypted");
        }
        return Optional.empty();
    }

    /** X's authorize URL for these event types; the state and verifier wait, single-use, for the callback. */
    public String start(List<String> eventTypes) {
        String problem = notReady().orElse(null);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        Instant now = clock.instant();
        String state = random(32);
        String verifier = random(64); // 86 characters: within PKCE's 43 to 128
        String types = String.join(",", new LinkedHashSet<>(eventTypes));
        String stateHash = sha256Hex(state);
        accounts.await(
                stateHash,
                cipher.get().encrypt(verifier, "pending:" + stateHash),
                types,
                now,
                now.plus(config.pendingTtl()));
        return config.authorizeUrl()
                + "?response_type=code"
                + "&client_id=" + encode(config.clientId().get())
                + "&redirect_uri=" + encode(config.redirectUri().get())
                + "&scope=" + encode(Scopes.forEventTypes(eventTypes))
                + "&state=" + encode(state)
                + "&code_challenge=" + encode(challenge(verifier))
                + "&code_challenge_method=S256";
    }

    /** What a callback came to, for the page the browser lands on (no token, no secret). */
    public record Connected(String userId, String username, List<String> subscribed, List<String> refused) {}

    /** X's callback: the state must be one this service handed out and not used yet. */
    public Connected complete(String state, String code) {
        if (state == null || code == null || state.length() > 500) {
            throw new Refused("The callback lacks its state or code.");
        }
        String stateHash = sha256Hex(state);
        Accounts.Pending pending =
                accounts.take(stateHash).orElseThrow(() -> new Refused("Unknown or already used state."));
        Instant now = clock.instant();
        if (pending.expiresAt().isBefore(now)) {
            throw new Refused("This connection was started too long ago; start it again.");
        }
        String verifier = cipher.get().decrypt(pending.verifier(), "pending:" + stateHash);
        XOAuth.Tokens tokens;
        try {
            tokens = oauth.exchange(code, verifier, config.redirectUri().get());
        } catch (XApiException e) {
            throw new Refused("X refused the code (" + e.reason() + "); start the connection again.");
        }
        Map<String, String> me = oauth.me(tokens.accessToken());
        String user = me.get("id");
        TokenCipher c = cipher.get();
        accounts.connect(new Accounts.Stored(
                user,
                me.get("username"),
                tokens.scope(),
                pending.eventTypes(),
                c.encrypt(tokens.accessToken(), user),
                tokens.refreshToken() == null ? null : c.encrypt(tokens.refreshToken(), user),
                c.currentKey(),
                now.plusSeconds(tokens.expiresInSeconds()),
                "CONNECTED",
                null,
                now,
                now));
        Subscribed result = subscribe(
                user, tokens.accessToken(), List.of(pending.eventTypes().split(",")));
        LOG.infof(
                "Connected X account %s: %d subscriptions, %d refused",
                user, result.subscribed().size(), result.refused().size());
        return new Connected(user, me.get("username"), result.subscribed(), result.refused());
    }

    /** What subscribing came to: the types X took, and the ones it refused with its reason. */
    public record Subscribed(List<String> subscribed, List<String> refused) {}

    /**
     * Subscribes the webhook to the account's chosen event types it has no subscription for at X (after X
     * answered that one is gone, or it was deleted there): private types with the user's token.
     */
    public Subscribed resubscribe(Accounts.Stored account, List<String> present) {
        List<String> missing = new ArrayList<>(List.of(account.eventTypes().split(",")));
        missing.removeAll(present);
        String token = cipher.orElseThrow().decrypt(account.accessToken(), account.userId());
        return subscribe(account.userId(), token, missing);
    }

    private Subscribed subscribe(String user, String accessToken, List<String> types) {
        List<String> subscribed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String type : types) {
            if (type.isBlank()) {
                continue;
            }
            XRequests.CreateSubscription request = new XRequests.CreateSubscription(
                    type,
                    new XRequests.Filter(user, null, null),
                    "xwr",
                    replay.webhookId().orElse(null));
            try {
                if (Scopes.isPublic(type)) {
                    x.createActivitySubscription(request);
                } else {
                    JsonNode answer = oauth.subscribeAsUser(accessToken, request);
                    LOG.debugf(
                            "Subscribed %s for user %s: %s",
                            type, user, answer.path("data").path("subscription_id"));
                }
                subscribed.add(type);
            } catch (XApiException.RateLimited e) {
                throw e; // X's rate limit: the operator tries again after it (429 with Retry-After)
            } catch (XApiException e) {
                refused.add(type + " (" + e.reason() + ")");
            }
        }
        return new Subscribed(subscribed, refused);
    }

    /** A callback that cannot complete; its message is safe to show. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The event types an operator may choose: X Activity names, lower case with dots. */
    public static boolean validEventType(String type) {
        return type != null && type.matches("[a-z][a-z_]*(\\.[a-z_]+){1,3}") && type.length() <= 64;
    }
}
