package io.xwr.xapi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads to and downloads from the pre-signed URLs X hands out for batch compliance (cloud storage on another
 * host). The URL is the credential: no bearer token and no other header of ours goes there, and neither the URL
 * nor the content is logged. Same timeouts as the calls to X (5 s to connect, 10 s to answer); failures surface
 * as {@link XApiException}s, so {@link XApi}'s retries and circuit breaker apply.
 */
@ApplicationScoped
class PresignedTransfers {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ObjectMapper mapper;

    PresignedTransfers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void upload(String url, String body) {
        send(HttpRequest.newBuilder(uri(url))
                .timeout(ANSWER)
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    /** Newline-delimited JSON, one object per line; blank lines skipped, a line that is not JSON refused. */
    List<JsonNode> downloadLines(String url) {
        String body =
                send(HttpRequest.newBuilder(uri(url)).timeout(ANSWER).GET().build());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(mapper.readTree(line));
            } catch (JacksonException e) {
                throw new XApiException.Rejected(200, "UnexpectedAnswer", "a compliance result line is not JSON");
            }
        }
        return lines;
    }

    private String send(HttpRequest request) {
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new XApiException.Unavailable(
                    0, "storage unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XApiException.Unavailable(0, "interrupted");
        }
        int status = answer.statusCode();
        if (status >= 500 || status == 429) {
            throw new XApiException.Unavailable(status, "storage answered " + status);
        }
        if (status >= 300) {
            // An expired or tampered URL: asking again will not help; the job is asked again instead.
            throw new XApiException.Rejected(status, "PresignedUrlRefused", "storage answered " + status);
        }
        return answer.body();
    }

    private static URI uri(String url) {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new XApiException.Rejected(200, "UnexpectedAnswer", "X gave no usable pre-signed URL");
        }
        return URI.create(url);
    }
}
