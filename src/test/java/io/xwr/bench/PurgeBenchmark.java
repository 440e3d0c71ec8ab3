package io.xwr.bench;

import static io.xwr.testing.Deliveries.randomId;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.compliance.Purges;
import io.xwr.compliance.StoredPurge;
import io.xwr.event.Erasure;
import io.xwr.testing.Db;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long a revoking user's purge takes for {@code bench.events} (100,000) stored events and as many raw
 * deliveries, on the embedded PostgreSQL, per batch size; and what the revoke's own delivery costs (the purge
 * runs after the 200). Run with {@code bench/purge.sh}; never part of {@code ./mvnw verify}.
 */
@QuarkusTest
@TestProfile(PurgeBenchmark.Quiet.class)
@Tag("benchmark")
class PurgeBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final List<Integer> BATCHES = List.of(1_000, 5_000, 20_000);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Purges purges;

    @Test
    void measuresAUserPurge() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("| batch size | events emptied | deliveries emptied | purge time | rows/s |\n");
        report.append("| --- | --- | --- | --- | --- |\n");
        for (int batch : BATCHES) {
            String user = randomId();
            fill(user);
            long id = purges.requestByOperator(new Erasure(Erasure.Kind.USER, user), "benchmark", Instant.now());
            StoredPurge purge = purges.find(id).orElseThrow();

            long started = System.nanoTime();
            StoredPurge done = purges.execute(purge, batch, Instant.now());
            double seconds = (System.nanoTime() - started) / 1e9;

            long left = new Db(dataSource)
                    .count("SELECT count(*) FROM activity_event WHERE account_id = ? AND purged_at IS NULL", user);
            if (left != 0 || done.eventsPurged() != EVENTS || done.deliveriesPurged() != EVENTS) {
                throw new AssertionError("purge incomplete: " + done + ", " + left + " left");
            }
            int rows = done.eventsPurged() + done.deliveriesPurged();
            report.append(String.format(
                    "| %,d | %,d | %,d | %.2f s | %,.0f |%n",
                    batch, done.eventsPurged(), done.deliveriesPurged(), seconds, rows / seconds));
        }
        report.append(revokeAck());
        Path out = Path.of("target/bench/purge.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);
    }

    /** No scheduled purge runner competing with the measured one (nor any other job). */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    /** The revoke's delivery is acknowledged after recording the purge request only: its own latency. */
    private String revokeAck() {
        String user = randomId();
        fill(user);
        byte[] body = ("{\"user_event\":{\"revoke\":{\"date_time\":\"2026-11-30T09:48:12+00:00\",\"target\":"
                        + "{\"app_id\":\"1\"},\"source\":{\"user_id\":\"" + user + "\"}}}}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 200; i++) { // warm the HTTP path and the JIT first
            byte[] warm = io.xwr.testing.Deliveries.tweet(randomId(), randomId());
            io.xwr.testing.Deliveries.post(warm, XSigner.sign(warm)).statusCode(200);
        }
        long started = System.nanoTime();
        io.xwr.testing.Deliveries.post(body, XSigner.sign(body)).statusCode(200);
        double ms = (System.nanoTime() - started) / 1e6;
        return String.format(
                "%nThe revoke delivery for a user with %,d stored events was acknowledged in %.1f ms, after 200"
                        + " warm-up deliveries (the purge itself runs after the 200).%n",
                EVENTS, ms);
    }

    /** EVENTS direct messages of one user, as deliveries of about 700 bytes and their events, written by SQL. */
    private void fill(String user) {
        String filler = "x".repeat(500);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO raw_delivery (received_at, body, body_sha256, headers, secret_fingerprint,"
                    + " family, parse_status, event_count, account_id) SELECT now() - (g || ' seconds')::interval,"
                    + " convert_to('{\"for_user_id\":\"" + user + "\",\"direct_message_events\":[{\"id\":\"' || g ||"
                    + " '\",\"message_create\":{\"message_data\":{\"text\":\"private " + filler
                    + "\"}}}]}', 'UTF8'), md5(g::text), '{}', 'bench', 'AAA', 'PARSED', 1, '" + user
                    + "' FROM generate_series(1, " + EVENTS + ") g");
            s.executeUpdate("INSERT INTO activity_event (event_key, delivery_id, family, event_type, source_type,"
                    + " account_id, occurred_at, recorded_at, payload) SELECT 'aaa:" + user + ":dm:' || id, id, 'AAA',"
                    + " 'dm.sent', 'direct_message_events', account_id, received_at, received_at,"
                    + " '{\"type\":\"dm.sent\",\"data\":{\"text\":\"private " + filler + "\"}}' FROM raw_delivery"
                    + " WHERE account_id = '" + user + "'");
            s.executeUpdate("INSERT INTO delivery_account (delivery_id, account_id) SELECT id, account_id FROM"
                    + " raw_delivery WHERE account_id = '" + user + "'");
            s.execute("ANALYZE raw_delivery");
            s.execute("ANALYZE activity_event");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
