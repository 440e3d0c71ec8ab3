package io.xwr.xapi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.config.XApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The filtered stream's connection API ({@code GET /2/tweets/search/stream}) used for recovery: a window of the
 * last 24 hours is asked with {@code start_time}/{@code end_time} and read line by line, each line being what a
 * stream webhook would have delivered ({@code data}, {@code includes}, {@code matching_rules}). Reading stops at the
 * end of the window (X closes the stream), after {@code maxPosts}, or when the time budget is spent; the caller
 * resumes from the last post's time. The bearer token goes to X's API host only.
 */
@ApplicationScoped
public class StreamConnection {
    /** Lines handed to the caller at a time: memory stays bounded whatever the window holds. */
    static final int BATCH = 100;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final XApiConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    StreamConnection(XApiConfig config, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** What one read got: posts, whether X ended the window, the newest post time seen. */
    public record Read(int posts, boolean complete, Instant lastPostAt) {}

    Read read(
            Instant from,
            Instant to,
            Map<String, String> fields,
            int maxPosts,
            Duration budget,
            Consumer<List<byte[]>> sink) {
        Map<String, String> query = new LinkedHashMap<>(fields);
        // The post's time is what the reading resumes from: always asked for.
        query.merge("tweet.fields", "created_at", (a, b) -> a.contains("created_at") ? a : a + "," + b);
        query.put("start_time", from.toString());
        query.put("end_time", to.toString());
        StringBuilder url = new StringBuilder(config.baseUrl()).append("/2/tweets/search/stream?");
        query.forEach((k, v) -> url.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
        url.setLength(url.length() - 1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Authorization", "Bearer " + config.bearerToken().orElse(""))
                .timeout(Duration.ofSeconds(10)) // until X answers; the stream itself is bounded by the budget
                .GET()
                .build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new XApiException.Unavailable(
                    0, "stream unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XApiException.Unavailable(0, "interrupted");
        }
        refuseErrors(answer);
        Instant deadline = clock.instant().plus(budget);
        int posts = 0;
        Instant last = null;
        List<byte[]> batch = new ArrayList<>(BATCH);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) { // X sends blank keep-alive lines
                    JsonNode post = post(line);
                    if (post != null) {
                        batch.add(line.getBytes(StandardCharsets.UTF_8));
                        posts++;
                        Instant at = createdAt(post);
                        if (at != null && (last == null || at.isAfter(last))) {
                            last = at;
                        }
                    }
                    if (batch.size() >= BATCH) {
                        sink.accept(List.copyOf(batch));
                        batch.clear();
                    }
                }
                if (posts >= maxPosts || clock.instant().isAfter(deadline)) {
                    flush(batch, sink);
                    return new Read(posts, false, last);
                }
            }
        } catch (IOException e) {
            flush(batch, sink); // what was read is kept; the rest is read again from the last post's time
            return new Read(posts, false, last);
        }
        flush(batch, sink);
        return new Read(posts, true, last);
    }

    private static void flush(List<byte[]> batch, Consumer<List<byte[]>> sink) {
        if (!batch.isEmpty()) {
            sink.accept(List.copyOf(batch));
            batch.clear();
        }
    }

    /** The line's post, or null for what is not one (an {@code errors} line, a line that is not JSON). */
    private JsonNode post(String line) {
        try {
            JsonNode root = mapper.readTree(line);
            return root != null && root.path("data").has("id") ? root.path("data") : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Instant createdAt(JsonNode post) {
        try {
            return post.hasNonNull("created_at")
                    ? Instant.parse(post.path("created_at").asText())
                    : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void refuseErrors(HttpResponse<InputStream> answer) {
        int status = answer.statusCode();
        if (status < 300) {
            return;
        }
        try (InputStream body = answer.body()) {
            body.readNBytes(64 * 1024); // drained, not logged: it may echo the request
        } catch (IOException ignored) {
            // the status says enough
        }
        if (status == 429) {
            long reset = answer.headers()
                    .firstValueAsLong("x-rate-limit-reset")
                    .orElse(clock.instant().plusSeconds(60).getEpochSecond());
            throw new XApiException.RateLimited("GET /2/tweets/search/stream", Instant.ofEpochSecond(reset));
        }
        if (status >= 500) {
            throw new XApiException.Unavailable(status, "stream answered " + status);
        }
        throw new XApiException.Rejected(status, "StreamRefused", "stream answered " + status);
    }
}
