package io.xwr.reliability;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xwr.testing.Deliveries;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.ReliabilityReport;
import io.xwr.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the packaged service while deliveries pour in over HTTPS: every delivery that got its 200 is in the
 * database afterwards; the ones missing all went unanswered, which X retries. Then the service starts again on
 * the same database and takes deliveries.
 */
class CrashIT {
    private static final PostgresResource POSTGRES = new PostgresResource();
    private static Map<String, String> db;

    @BeforeAll
    static void database() {
        db = POSTGRES.start();
    }

    @AfterAll
    static void stopDatabase() {
        POSTGRES.stop();
    }

    @Test
    void everyAcknowledgedDeliverySurvivesAKill() throws Exception {
        // Given: the service under steady load from 16 connections
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        AtomicInteger otherAnswers = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        HttpClient http = ServiceProcess.trustingClient();
        ServiceProcess service = ServiceProcess.start(url(), user(), password(), Map.of());
        try (ExecutorService senders = Executors.newFixedThreadPool(16)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int s = 0; s < 16; s++) {
                loops.add(senders.submit(() -> {
                    String account = randomId();
                    while (sending.get()) {
                        byte[] body = tweet(account, randomId());
                        String hash = Deliveries.sha256(body);
                        try {
                            int status = http.send(
                                            Deliveries.signedRequest(service.webhook(), body),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            if (status == 200) {
                                acknowledged.add(hash);
                            } else {
                                otherAnswers.incrementAndGet();
                            }
                        } catch (IOException e) {
                            unanswered.add(hash); // in flight when the process died: X would retry it
                            return; // this sender's connection is gone, like X's
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }

            // When: the process is killed mid-load
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 2_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            service.kill();
            sending.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
        } finally {
            service.close();
        }

        // Then: nothing acknowledged is missing
        Set<String> stored = storedHashes();
        List<String> lost =
                acknowledged.stream().filter(h -> !stored.contains(h)).toList();
        assertTrue(acknowledged.size() >= 500, "load before the kill: " + acknowledged.size());
        assertEquals(List.of(), lost, "acknowledged but not stored");
        assertEquals(0, otherAnswers.get(), "no 4xx/5xx under plain load");
        long storedButUnanswered = unanswered.stream().filter(stored::contains).count();

        // and the service starts again on the same database and takes deliveries
        try (ServiceProcess again = ServiceProcess.start(url(), user(), password(), Map.of())) {
            byte[] body = tweet(randomId(), randomId());
            int status = http.send(
                            Deliveries.signedRequest(again.webhook(), body), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertEquals(200, status);

            // and its projection, killed with it mid-log, resumes where its position says: each stored delivery
            // once, one event and one outbox row each (no Kafka here, so the rows stay to be counted)
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> count("SELECT count(*) FROM raw_delivery WHERE id > (SELECT delivery_id FROM"
                                    + " projection_position)")
                            == 0);
            long distinct = count("SELECT count(DISTINCT body_sha256) FROM raw_delivery");
            assertEquals(distinct, count("SELECT count(*) FROM activity_event"), "events");
            assertEquals(distinct, count("SELECT count(*) FROM outbox"), "outbox rows");
            report(acknowledged.size(), unanswered.size(), storedButUnanswered, again.startTime());
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(), user(), password());
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Set<String> storedHashes() throws Exception {
        Set<String> hashes = ConcurrentHashMap.newKeySet();
        try (Connection c = DriverManager.getConnection(url(), user(), password());
                PreparedStatement s = c.prepareStatement("SELECT body_sha256 FROM raw_delivery");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                hashes.add(r.getString(1));
            }
        }
        return hashes;
    }

    private static void report(int acknowledged, int unanswered, long storedButUnanswered, Duration restart)
            throws IOException {
        ReliabilityReport.write(
                "crash",
                String.format(
                        "| kill -9 under load (16 connections) | %,d acknowledged, all stored | %,d unanswered"
                                + " (%,d of them stored anyway, X's retry is a duplicate) | restart ready in %.1f s"
                                + " | 0 lost |%n",
                        acknowledged, unanswered, storedButUnanswered, restart.toMillis() / 1000.0));
    }

    private static String url() {
        return db.get("quarkus.datasource.jdbc.url");
    }

    private static String user() {
        return db.get("quarkus.datasource.username");
    }

    private static String password() {
        return db.get("quarkus.datasource.password");
    }
}
