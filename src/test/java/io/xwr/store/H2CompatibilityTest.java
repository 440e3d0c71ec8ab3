package io.xwr.store;

import static io.xwr.testing.Deliveries.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.OperatorView;
import io.xwr.outbox.DrainResult;
import io.xwr.outbox.Outbox;
import io.xwr.outbox.OutboxMessage;
import io.xwr.outbox.PublishOutcome;
import io.xwr.testing.Db;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default of {@code quarkus:dev}: the same migrations and the same dedupe insert on an H2 file in
 * PostgreSQL mode, with Hibernate validating the mapping.
 */
@QuarkusTest
@TestProfile(H2CompatibilityTest.H2.class)
class H2CompatibilityTest {
    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @Inject
    io.xwr.compliance.PurgeRunner purgeRunner;

    @Inject
    io.xwr.compliance.RetentionJob retentionJob;

    @Inject
    OperatorView operatorView;

    @Inject
    io.xwr.compliance.BatchCompliance batchCompliance;

    @Inject
    GapLog gapLog;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Outbox outbox;

    @Test
    void recordsAndDeduplicatesOnH2() throws Exception {
        // Given
        Db db = new Db(dataSource);
        byte[] body =
                ("{\"for_user_id\":\"9\",\"tweet_create_events\":[{\"id_str\":\"1924465506158878979\",\"text\":\"h2\","
                                + "\"user\":{\"id_str\":\"9\"},\"timestamp_ms\":\"1747663306000\"}]}")
                        .getBytes(StandardCharsets.UTF_8);

        // When
        for (int i = 0; i < 2; i++) {
            post(body, XSigner.sign(body)).statusCode(200);
        }

        // Then
        try (var connection = dataSource.getConnection()) {
            assertEquals("H2", connection.getMetaData().getDatabaseProductName());
        }
        db.awaitProjected(); // behind the barrier that is a lock in the JVM on H2
        assertEquals(
                1, db.count("SELECT count(*) FROM activity_event WHERE event_key = 'aaa:9:tweet:1924465506158878979'"));
        assertEquals(2, db.count("SELECT count(*) FROM delivery_account WHERE account_id = '9'"));
    }

    @Test
    void recordsConcurrentDeliveriesInSharedTransactionsOnH2() throws Exception {
        // Given: one account per delivery, so a delivery id given to the wrong event rows would show
        String run = io.xwr.testing.Deliveries.randomId().substring(0, 12);
        List<byte[]> bodies = new ArrayList<>();
        // and each twice at once, so copies share batches and the second of a key must insert nothing
        for (int i = 0; i < 60; i++) {
            byte[] body = io.xwr.testing.Deliveries.tweet(
                    run + String.format("%03d", i), io.xwr.testing.Deliveries.randomId());
            bodies.add(body);
            bodies.add(body);
        }

        // When
        assertEquals(java.util.Collections.nCopies(120, 200), io.xwr.testing.Deliveries.postConcurrently(bodies, 16));

        // Then
        Db db = new Db(dataSource).awaitProjected();
        assertEquals(120, db.count("SELECT count(*) FROM delivery_account WHERE account_id LIKE ?", run + "%"));
        assertEquals(60, db.count("SELECT count(*) FROM activity_event WHERE account_id LIKE ?", run + "%"));
        assertEquals(60, db.count("SELECT count(*) FROM outbox WHERE ce_subject LIKE ?", run + "%"));
        assertEquals(60, db.count("""
                                SELECT count(*) FROM activity_event e JOIN delivery_account a
                                ON a.delivery_id = e.delivery_id AND a.account_id = e.account_id
                                WHERE e.account_id LIKE ?
                                """, run + "%"));
    }

    @Test
    void keepsOutboxRowsWhileKafkaIsNotConfigured() {
        // Given
        Db db = new Db(dataSource);
        byte[] body =
                ("{\"for_user_id\":\"10\",\"tweet_create_events\":[{\"id_str\":\"1924465506158878000\",\"text\":\"wait\","
                                + "\"user\":{\"id_str\":\"10\"},\"timestamp_ms\":\"1747663306000\"}]}")
                        .getBytes(StandardCharsets.UTF_8);

        // When
        post(body, XSigner.sign(body)).statusCode(200);

        // Then: the row waits, and readiness says why without failing
        db.awaitProjected();
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = 'aaa:10:tweet:1924465506158878000'"));
        io.restassured.RestAssured.given()
                .get(readiness)
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'outbox' }.data.relay", org.hamcrest.Matchers.startsWith("off"));

        // and the relay's SQL (lane lock with SKIP LOCKED, batch, delete) works on H2 too
        java.util.List<OutboxMessage> seen = new java.util.ArrayList<>();
        Outbox.Drain drain = outbox.drainLanes(
                java.util.List.of(Math.floorMod("10".hashCode(), Outbox.LANES), 3),
                batch -> {
                    seen.addAll(batch);
                    return new PublishOutcome.Published();
                },
                java.time.Instant.now());
        assertEquals(DrainResult.PUBLISHED, drain.result());
        // (other tests' rows may share the lane; this one must be in the batch)
        assertTrue(seen.stream().map(OutboxMessage::eventKey).toList().contains("aaa:10:tweet:1924465506158878000"));
        assertEquals(0, db.count("SELECT count(*) FROM outbox WHERE event_key = 'aaa:10:tweet:1924465506158878000'"));
    }

    @Test
    void purgesRetentionAndTheOperatorFiguresRunOnH2() {
        // Given: a post and a DM, then the post's deletion and the DM user's revocation
        Db db = new Db(dataSource);
        deliver("{\"for_user_id\":\"11\",\"tweet_create_events\":[{\"id_str\":\"1924465506158878011\","
                + "\"text\":\"h2 words\",\"user\":{\"id_str\":\"11\"},\"timestamp_ms\":\"1747663306000\"}]}");
        deliver("{\"for_user_id\":\"12\",\"direct_message_events\":[{\"type\":\"message_create\",\"id\":\"77\","
                + "\"created_timestamp\":\"1764590000000\",\"message_create\":{\"target\":{\"recipient_id\":\"13\"},"
                + "\"sender_id\":\"12\",\"message_data\":{\"text\":\"h2 secret\"}}}]}");
        deliver("{\"for_user_id\":\"11\",\"tweet_delete_events\":[{\"status\":{\"id\":\"1924465506158878011\","
                + "\"user_id\":\"11\"},\"timestamp_ms\":\"1764590000000\"}]}");
        deliver("{\"user_event\":{\"revoke\":{\"date_time\":\"2026-11-30T09:48:12+00:00\",\"target\":"
                + "{\"app_id\":\"1\"},\"source\":{\"user_id\":\"12\"}}}}");

        // When (the scheduled runner may hold one of them: it is done when it is done)
        purgeRunner.runPending();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> db.count("SELECT count(*) FROM purge WHERE done_at IS NULL") == 0);

        // Then: the purge SQL (batches, tombstones, audit) does on H2 what it does on PostgreSQL
        assertEquals(0, db.count("SELECT count(*) FROM activity_event WHERE payload LIKE '%h2 words%'"));
        assertEquals(0, db.count("SELECT count(*) FROM activity_event WHERE payload LIKE '%h2 secret%'"));
        // the post cut out of its delivery, the revoking user's delivery replaced whole
        assertEquals(List.of(), bodiesWith("h2 words"));
        assertEquals(List.of(), bodiesWith("h2 secret"));
        assertEquals(
                0,
                db.count("SELECT count(*) FROM raw_delivery WHERE purged_at IS NULL AND id IN (SELECT delivery_id"
                        + " FROM delivery_account WHERE account_id = '12')"));
        assertEquals(
                2,
                db.count("SELECT count(*) FROM purge WHERE done_at IS NOT NULL"
                        + " AND subject_id IN ('1924465506158878011', '12')"));
        // and a replay is stored purged
        deliver("{\"for_user_id\":\"11\",\"tweet_create_events\":[{\"id_str\":\"1924465506158878011\","
                + "\"text\":\"h2 words\",\"user\":{\"id_str\":\"11\"},\"timestamp_ms\":\"1747663306000\"}]}");
        db.awaitProjected();
        assertEquals(List.of(), bodiesWith("h2 words"));
        assertEquals(
                2,
                db.count("SELECT count(*) FROM delivery_post WHERE post_id = '1924465506158878011'"),
                "both deliveries of the post stay linked to it");
        // Retention, the CRC pulse, the rates and the state counts also run on H2
        assertEquals(0, retentionJob.run().events());
        java.time.Instant now = java.time.Instant.now();
        operatorView.crcAnswered(now);
        assertEquals(
                now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                operatorView.lastCrcAnswer().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertEquals(true, operatorView.rates(now.plusSeconds(1)).deliveriesLastHour() >= 5);
        assertEquals(0L, gapLog.countByState().get(GapState.LOST));
    }

    @Test
    void batchComplianceJobsAndAGeoScrubRunOnH2() {
        // Given: a post with geo data, which X's compliance answer says to scrub
        Db db = new Db(dataSource);
        deliver("{\"for_user_id\":\"21\",\"tweet_create_events\":[{\"id_str\":\"1924465506158878021\","
                + "\"text\":\"h2 geo post\",\"user\":{\"id_str\":\"21\"},\"place\":{\"id\":\"9\","
                + "\"full_name\":\"H2 Town\"},\"timestamp_ms\":\"1747663306000\"}]}");
        db.awaitProjected();
        io.xwr.testing.XSimulatorResource.simulator().complianceAnswer("tweets", "1924465506158878021", "scrub_geo");

        // When: a run, X's "in progress", X's answer
        java.time.Instant now = java.time.Instant.now();
        batchCompliance.run(now);
        batchCompliance.run(now.plusSeconds(60));
        batchCompliance.run(now.plusSeconds(120));
        purgeRunner.runPending();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> db.count("SELECT count(*) FROM purge WHERE done_at IS NULL") == 0);

        // Then
        assertEquals(List.of(), bodiesWith("H2 Town"));
        assertEquals(1, bodiesWith("h2 geo post").size());
        assertEquals(
                1, db.count("SELECT count(*) FROM purge WHERE kind = 'GEO' AND subject_id = '1924465506158878021'"));
        assertEquals(2, db.count("SELECT count(*) FROM compliance_job WHERE state = 'DONE'"));
    }

    /** Raw deliveries whose body still holds the text (H2 has no portable byte search: read them). */
    private List<Long> bodiesWith(String text) {
        Db db = new Db(dataSource);
        List<Object> ids = db.column("SELECT id FROM raw_delivery ORDER BY id");
        List<String> bodies = db.texts("SELECT body FROM raw_delivery ORDER BY id");
        List<Long> found = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            if (bodies.get(i).contains(text)) {
                found.add(((Number) ids.get(i)).longValue());
            }
        }
        return found;
    }

    private static void deliver(String json) {
        io.xwr.testing.Deliveries.deliver(json);
    }

    /** H2 instead of PostgreSQL; a build-time switch, so this profile costs one extra boot. */
    public static class H2 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.db-kind", "h2",
                    "quarkus.datasource.jdbc.url",
                            "jdbc:h2:file:./target/h2/xwr-" + System.nanoTime()
                                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "quarkus.datasource.username", "sa",
                    "quarkus.datasource.password", "sa",
                    "quarkus.flyway.locations", "db/migration", // as %dev: the portable migrations alone
                    // like quarkus:dev: no broker configured
                    "kafka.bootstrap.servers", "");
        }
    }
}
