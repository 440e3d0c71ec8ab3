package io.xwr.reliability;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.ReliabilityReport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops in the middle of steady load: answers turn to 503 (never a 200 that is not durable), 200s
 * return when it does, without a restart, and the silence is recorded as a gap to replay. Coverage runs on short
 * intervals here so a few seconds of outage count as a gap.
 */
@QuarkusTest
@TestProfile(DatabaseStopUnderLoadTest.ShortCoverage.class)
class DatabaseStopUnderLoadTest {
    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/webhooks/x")
    URI webhook;

    public static class ShortCoverage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "xwr.coverage.heartbeat-interval", "300ms",
                    "xwr.coverage.tolerance", "2s",
                    "xwr.coverage.scan-interval", "1s");
        }
    }

    @Test
    void answers503WhileStoppedRecoversWithoutRestartAndRecordsTheGap() throws Exception {
        // Given: 8 senders delivering all along
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant stopped;
        Instant restarted;
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                loops.add(senders.submit(() -> {
                    String account = randomId();
                    while (sending.get()) {
                        byte[] body = tweet(account, randomId());
                        int status = send(http, body);
                        answers.computeIfAbsent(status, k -> new AtomicInteger())
                                .incrementAndGet();
                        if (status == 200) {
                            acknowledged.add(Deliveries.sha256(body));
                        }
                    }
                    return null;
                }));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 300);

            // When: the database stops for 5 s
            stopped = Instant.now();
            PostgresResource.stopDatabase();
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() ->
                                answers.getOrDefault(503, new AtomicInteger()).get() >= 8);
                Thread.sleep(5_000);
            } finally {
                restarted = Instant.now();
                PostgresResource.startDatabase();
            }

            // Then: 200s come back without restarting the service
            int before = acknowledged.size();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 300);
            sending.set(false);
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
        }

        // and every 200 is stored; nothing but 200 and 503 was answered
        Set<String> stored = ConcurrentHashMap.newKeySet();
        new Db(dataSource).column("SELECT body_sha256 FROM raw_delivery").forEach(h -> stored.add(h.toString()));
        assertEquals(
                List.of(),
                acknowledged.stream().filter(h -> !stored.contains(h)).toList());
        assertEquals(Set.of(200, 503), answers.keySet(), "answers: " + answers);

        // and the outage became a gap for replay
        Instant from = stopped;
        Instant to = restarted;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath gaps = given().header("Authorization", "Bearer test-admin-token-0123456789abcdef")
                    .get("/admin/gaps")
                    .jsonPath();
            List<Map<String, Object>> all = gaps.getList("findAll { it.cause == 'DOWNTIME' }");
            return all.stream().anyMatch(g -> {
                Map<?, ?> window = (Map<?, ?>) g.get("window");
                return !Instant.parse(window.get("from").toString()).isAfter(to)
                        && !Instant.parse(window.get("to").toString()).isBefore(from);
            });
        });
        assertTrue(answers.get(503).get() >= 8);
        report(acknowledged.size(), answers, Duration.between(stopped, restarted));
    }

    private int send(HttpClient http, byte[] body) throws IOException, InterruptedException {
        return http.send(Deliveries.signedRequest(webhook, body), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void report(int acknowledged, Map<Integer, AtomicInteger> answers, Duration outage)
            throws IOException {
        ReliabilityReport.write(
                "database-stop",
                String.format(
                        "| PostgreSQL stopped %.1f s under load (8 connections) | %,d acknowledged, all stored |"
                                + " %,d answered 503, no other error | 200s again without restart, DOWNTIME gap"
                                + " recorded | 0 lost |%n",
                        outage.toMillis() / 1000.0,
                        acknowledged,
                        answers.get(503).get()));
    }
}
