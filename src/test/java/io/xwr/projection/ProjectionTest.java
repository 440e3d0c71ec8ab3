package io.xwr.projection;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.xwr.compliance.PurgeRunner;
import io.xwr.outbox.Outbox;
import io.xwr.outbox.OutboxMessage;
import io.xwr.outbox.PublishOutcome;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.RelayOff;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The projection behind the raw log: a poison delivery is set aside and the log moves on; a quarantined delivery
 * is projected again on request, once. The relay is off so the outbox rows a projection writes can be counted.
 */
@QuarkusTest
@TestProfile(RelayOff.class)
class ProjectionTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    PurgeRunner purges;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    /** Content is stored once: Kafka gets what is stored when the relay publishes, so a purge always wins. */
    @Test
    void whatIsPublishedIsRenderedFromWhatIsStoredWhenTheRelayComes() throws Exception {
        // Given: only this test's rows wait (other tests of this profile leave thousands, once projected)
        onlyThisTestsRowsWait();
        String author = randomId();
        String kept = randomId();
        String deleted = randomId();
        Deliveries.deliver(new String(tweet(author, kept), StandardCharsets.UTF_8));
        Deliveries.deliver(new String(tweet(author, deleted), StandardCharsets.UTF_8));

        // When: one post is deleted and purged before the relay publishes
        Deliveries.deliver("{\"for_user_id\":\"" + author + "\",\"tweet_delete_events\":[{\"status\":{\"id\":\""
                + deleted + "\",\"user_id\":\"" + author + "\"},\"timestamp_ms\":\"1764590000000\"}]}");
        purges.runPending();
        Db db = new Db(dataSource);
        awaitPurged(db, deleted);
        List<OutboxMessage> published = drainAll();

        // Then: the kept post goes out whole, X's object under source; the deleted one only as the purge's marker
        String keptData = payloadOf(published, key(author, kept));
        assertTrue(keptData.contains("\"source\":{"), keptData);
        assertTrue(keptData.contains("hello " + kept), keptData);
        String deletedData = payloadOf(published, key(author, deleted));
        assertTrue(deletedData.contains("\"purged\""), deletedData);
        assertFalse(deletedData.contains("hello " + deleted), deletedData);
        // and the content was only ever stored in the raw delivery (events and outbox rows hold no copy of it)
        assertEquals(
                0, db.count("SELECT count(*) FROM activity_event WHERE payload LIKE ?", "%\"source\"%" + kept + "%"));
    }

    /**
     * The relay publishes from what the projection just read only while that reading is still the stored body: a
     * purge that cut a quoted post out of a delivery after it was projected wins over the projection's memory of it.
     */
    @Test
    void aPurgeAfterTheProjectionReadABodyWinsOverWhatTheRelayRemembers() throws Exception {
        // Given: a quote of another author's post, projected (its objects held for the relay), and a plain post
        Db db = onlyThisTestsRowsWait();
        String author = randomId();
        String quoted = randomId();
        String other = randomId();
        String quote = randomId();
        String plain = randomId();
        Deliveries.deliver("{\"for_user_id\":\"" + author + "\",\"tweet_create_events\":[{\"id_str\":\"" + quote
                + "\",\"text\":\"my take\",\"user\":{\"id_str\":\"" + author + "\"},\"quoted_status\":{\"id_str\":\""
                + quoted + "\",\"text\":\"their words " + quoted + "\",\"user\":{\"id_str\":\"" + other + "\"}},"
                + "\"timestamp_ms\":\"1764590000000\"}]}");
        Deliveries.deliver(new String(tweet(author, plain), StandardCharsets.UTF_8));
        db.awaitProjected();
        double fromMemory = sources("memory");
        double fromLog = sources("log");

        // When: the quoted post is deleted and purged from every stored copy, then the relay comes
        Deliveries.deliver("{\"for_user_id\":\"" + other + "\",\"tweet_delete_events\":[{\"status\":{\"id\":\"" + quoted
                + "\",\"user_id\":\"" + other + "\"},\"timestamp_ms\":\"1764590000000\"}]}");
        purges.runPending();
        awaitPurged(db, quoted);
        db.awaitProjected();
        List<OutboxMessage> published = drainAll();

        // Then: the quote goes out without the quoted words (read again from the rewritten body), the plain post
        // from the projection's memory of it
        String quoteData = payloadOf(published, key(author, quote));
        assertTrue(quoteData.contains("my take"), quoteData);
        assertFalse(quoteData.contains("their words"), quoteData);
        assertTrue(quoteData.contains("\"purged\""), quoteData);
        assertTrue(payloadOf(published, key(author, plain)).contains("hello " + plain));
        assertTrue(sources("memory") >= fromMemory + 1, "the plain post's objects came from memory");
        assertTrue(sources("log") >= fromLog + 1, "the rewritten body was read again");
    }

    /** Other tests of this profile leave thousands of rows, once projected: only the caller's are left to wait. */
    private Db onlyThisTestsRowsWait() throws Exception {
        Db db = new Db(dataSource).awaitProjected();
        try (Connection c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM outbox");
        }
        return db;
    }

    private static void awaitPurged(Db db, String subject) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() ->
                        db.count("SELECT count(*) FROM purge WHERE subject_id = ? AND done_at IS NOT NULL", subject)
                                == 1);
    }

    /** Every waiting row, as the relay would publish it now. */
    private List<OutboxMessage> drainAll() {
        List<OutboxMessage> published = new ArrayList<>();
        outbox.drainLanes(
                IntStream.range(0, 32).boxed().toList(),
                batch -> {
                    published.addAll(batch);
                    return new PublishOutcome.Published();
                },
                Instant.now());
        return published;
    }

    private double sources(String from) {
        return registry.get("xwr.outbox.sources").tag("from", from).counter().count();
    }

    @Test
    void aTimeRangeIsProjectedAgainAndOnlyWhatIsMissingIsAdded() throws Exception {
        // Given: two posts stored, one of whose events an older normalizer did not find
        Instant from = Instant.now().minusMillis(1);
        String account = randomId();
        String first = randomId();
        String second = randomId();
        Deliveries.deliver(new String(tweet(account, first), StandardCharsets.UTF_8));
        Deliveries.deliver(new String(tweet(account, second), StandardCharsets.UTF_8));
        Instant to = Instant.now().plusMillis(1);
        Db db = new Db(dataSource);
        try (Connection c = dataSource.getConnection()) {
            execute(c, "DELETE FROM outbox WHERE event_key = ?", key(account, second));
            execute(c, "DELETE FROM activity_event WHERE event_key = ?", key(account, second));
        }

        // When: an operator asks for the range again (a bad range is refused first)
        admin().contentType("application/json")
                .body("{\"from\":\"" + to + "\",\"to\":\"" + from + "\"}")
                .post("/admin/projection/reprojections")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:xwr:problem:bad-range"));
        admin().contentType("application/json")
                .body("{\"from\":\"yesterday\",\"to\":\"" + to + "\"}")
                .post("/admin/projection/reprojections")
                .then()
                .statusCode(400);
        int id = admin().contentType("application/json")
                .body("{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}")
                .post("/admin/projection/reprojections")
                .then()
                .statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/admin/projection/reprojections/"))
                .extract()
                .path("id");

        // Then: it runs behind the log to its end, adding the one event that was missing, once
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> "DONE"
                        .equals(admin().get("/admin/projection/reprojections/" + id)
                                .path("state")));
        admin().get("/admin/projection/reprojections/" + id)
                .then()
                .body("deliveries", equalTo(2))
                .body("eventsAdded", equalTo(1));
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key(account, first)));
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key(account, second)));
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key(account, second)));
    }

    private static String payloadOf(List<OutboxMessage> published, String key) {
        return new String(
                published.stream()
                        .filter(m -> m.eventKey().equals(key))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("not published: " + key))
                        .data(),
                StandardCharsets.UTF_8);
    }

    @Test
    void aPoisonDeliveryIsQuarantinedAndTheLogMovesOn() {
        // Given: a delivery no normalizer can read, then an ordinary one
        byte[] poison = ("{\"tweet_create_events\":[{\"id_str\":\"" + randomId()).getBytes(StandardCharsets.UTF_8);
        String account = randomId();
        String postId = randomId();
        byte[] good = tweet(account, postId);

        // When: both are acknowledged (the 200 promises storage, not understanding)
        post(poison, XSigner.sign(poison)).statusCode(200);
        post(good, XSigner.sign(good)).statusCode(200);

        // Then: the poison is set aside with its reason, and the delivery after it is projected
        Db db = new Db(dataSource).awaitProjected();
        long poisonId = deliveryId(db, poison);
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key(account, postId)));
        admin().get("/admin/projection/quarantine")
                .then()
                .statusCode(200)
                .body("deliveryId", hasItem((int) poisonId))
                .body("find { it.deliveryId == " + poisonId + " }.reason", equalTo("not valid JSON"));
        admin().get("/admin/deliveries/" + poisonId)
                .then()
                .statusCode(200)
                .body("projection", equalTo("QUARANTINED"))
                .body("problem", equalTo("not valid JSON"));
        admin().get("/admin/projection").then().statusCode(200).body("behind", equalTo(0));

        // and projecting it again with the same normalizer keeps it there, one attempt more
        admin().post("/admin/projection/quarantine/" + poisonId + "/reprojection")
                .then()
                .statusCode(200)
                .body("projection", equalTo("QUARANTINED"));
        assertEquals(2, db.count("SELECT attempts FROM quarantine WHERE delivery_id = ?", poisonId));
    }

    @Test
    void aQuarantinedDeliveryThatReadsNowIsProjectedOnceOnRequest() throws Exception {
        // Given: a delivery set aside by an earlier normalizer (its events never recorded)
        String account = randomId();
        String postId = randomId();
        byte[] body = tweet(account, postId);
        Deliveries.deliver(new String(body, StandardCharsets.UTF_8));
        Db db = new Db(dataSource);
        long id = deliveryId(db, body);
        try (Connection c = dataSource.getConnection()) {
            execute(c, "DELETE FROM outbox WHERE event_key = ?", key(account, postId));
            execute(c, "DELETE FROM activity_event WHERE delivery_id = ?", id);
            execute(
                    c,
                    "INSERT INTO quarantine (delivery_id, reason, quarantined_at) VALUES (?, 'an older normalizer',"
                            + " CURRENT_TIMESTAMP)",
                    id);
        }

        // When: an operator projects it again; asking a second time finds nothing in quarantine
        admin().post("/admin/projection/quarantine/" + id + "/reprojection")
                .then()
                .statusCode(200)
                .body("projection", equalTo("PROJECTED"));
        admin().post("/admin/projection/quarantine/" + id + "/reprojection")
                .then()
                .statusCode(404);

        // Then: its event is recorded once, queued for Kafka once, and it left quarantine
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key(account, postId)));
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key(account, postId)));
        assertEquals(0, db.count("SELECT count(*) FROM quarantine WHERE delivery_id = ?", id));
    }

    private static long deliveryId(Db db, byte[] body) {
        return ((Number) db.single("SELECT id FROM raw_delivery WHERE body_sha256 = ?", Deliveries.sha256(body)))
                .longValue();
    }

    private static String key(String account, String postId) {
        return "aaa:" + account + ":tweet:" + postId;
    }

    private static void execute(Connection c, String sql, Object arg) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, arg);
            s.executeUpdate();
        }
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }
}
