package io.xwr.compliance;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.deliver;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * X's batch compliance against the X simulator: the ids stored since the last run go to X through pre-signed
 * storage URLs (no bearer token there), X's answer purges posts, users or only geo data, and each job is audited.
 */
@QuarkusTest
class BatchComplianceTest {
    private static final String ADMIN = "Bearer test-admin-token-0123456789abcdef";

    @Inject
    BatchCompliance batch;

    @Inject
    AgroalDataSource dataSource;

    private final XSimulator sim = XSimulatorResource.simulator();
    private Db db;

    @BeforeEach
    void noEarlierRuns() throws Exception {
        db = new Db(dataSource);
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM compliance_job");
        }
        sim.failComplianceJobs(false);
    }

    @AfterEach
    void xAnswersAgain() {
        sim.failComplianceJobs(false);
    }

    @Test
    void whatXMarksIsPurgedWithinAPassOfItsAnswerAndEachJobIsAudited() {
        // Given: a subscribed account's quote of someone else's post, its own post with geo data, and a stream
        // post by an author who is no subscriber
        String account = randomId();
        String quote = randomId();
        String quoted = randomId();
        String geoPost = randomId();
        String streamPost = randomId();
        String streamAuthor = randomId();
        String town = "Geo Town " + geoPost;
        deliver("{\"for_user_id\":\"" + account + "\",\"tweet_create_events\":[{\"id_str\":\"" + quote
                + "\",\"text\":\"my quote " + quote + "\",\"user\":{\"id_str\":\"" + account + "\"},"
                + "\"quoted_status\":{\"id_str\":\"" + quoted + "\",\"text\":\"quoted words " + quoted + "\","
                + "\"user\":{\"id_str\":\"" + randomId() + "\"}},\"timestamp_ms\":\"1764590000000\"}]}");
        deliver("{\"for_user_id\":\"" + account + "\",\"tweet_create_events\":[{\"id_str\":\"" + geoPost
                + "\",\"text\":\"geo post " + geoPost + "\",\"user\":{\"id_str\":\"" + account + "\"},"
                + "\"geo\":{\"type\":\"Point\",\"coordinates\":[52.5,13.4]},\"coordinates\":{\"type\":\"Point\","
                + "\"coordinates\":[13.4,52.5]},\"place\":{\"id\":\"01a\",\"full_name\":\"" + town + "\"},"
                + "\"timestamp_ms\":\"1764590000000\"}]}");
        deliver("{\"data\":{\"id\":\"" + streamPost + "\",\"text\":\"stream words " + streamPost + "\",\"author_id\":\""
                + streamAuthor + "\",\"edit_history_tweet_ids\":[\"" + streamPost + "\"]},"
                + "\"matching_rules\":[{\"id\":\"1\",\"tag\":\"t\"}]}");
        db.awaitProjected();
        sim.complianceAnswer("tweets", quoted, "deleted");
        sim.complianceAnswer("tweets", geoPost, "scrub_geo");
        sim.complianceAnswer("users", streamAuthor, "suspended");
        int storageBefore = sim.storageRequests();

        // When: a run is due; X answers "in progress" once, then "complete"
        Instant now = Instant.now();
        assertEquals(BatchCompliance.Pass.WORKED, batch.run(now));
        assertEquals(BatchCompliance.Pass.IDLE, batch.run(now.plusSeconds(60)));
        assertEquals(BatchCompliance.Pass.WORKED, batch.run(now.plusSeconds(120)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        db.count("SELECT count(*) FROM purge WHERE reason = 'X_COMPLIANCE' AND done_at IS NULL") == 0);

        // Then: the ids stored went to X, through the storage URLs, without the bearer token
        List<String> posts = sim.complianceUploads("tweets").getLast();
        assertTrue(posts.containsAll(List.of(quote, quoted, geoPost, streamPost)), posts.toString());
        assertTrue(sim.complianceUploads("users").getLast().containsAll(List.of(account, streamAuthor)));
        assertEquals(4, sim.storageRequests() - storageBefore, "two uploads, two downloads");
        assertEquals(0, sim.storageRequestsWithAuthorization());
        // the deleted post is gone from the quote; the quote stays
        assertEquals(List.of(), db.tablesContaining("quoted words " + quoted));
        assertFalse(db.tablesContaining("my quote " + quote).isEmpty());
        // the geo data is gone, the post stays
        assertEquals(List.of(), db.tablesContaining(town));
        assertFalse(db.tablesContaining("geo post " + geoPost).isEmpty());
        // the suspended author's post is gone
        assertEquals(List.of(), db.tablesContaining("stream words " + streamPost));
        // and each job is audited, with what its answer did
        JsonPath audit = given().header("Authorization", ADMIN)
                .get("/admin/purges/compliance-jobs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> tweets = audit.getMap("find { it.type == 'tweets' }");
        assertEquals("DONE", tweets.get("state"));
        assertEquals("complete", tweets.get("xStatus"));
        assertEquals("deleted=1, scrub_geo=1", tweets.get("actions"));
        assertTrue((Integer) tweets.get("idsChecked") >= 4);
        assertEquals("suspended=1", audit.getString("find { it.type == 'users' }.actions"));
        assertFalse(audit.prettify().contains("X-Goog-Signature"), "the pre-signed URLs are never shown");
        assertEquals(
                3,
                db.count(
                        "SELECT count(*) FROM purge WHERE reason = 'X_COMPLIANCE' AND subject_id IN (?, ?, ?)",
                        quoted,
                        geoPost,
                        streamAuthor));
    }

    @Test
    void aJobXFailsIsAskedAgainForTheSameWindow() {
        // Given
        String account = randomId();
        String post = randomId();
        deliver(new String(tweet(account, post), StandardCharsets.UTF_8));
        db.awaitProjected();
        sim.failComplianceJobs(true);
        Instant now = Instant.now();
        batch.run(now);

        // When: X fails both jobs (they are asked again at once), then works again
        assertEquals(BatchCompliance.Pass.WORKED, batch.run(now.plusSeconds(60)));
        sim.failComplianceJobs(false);
        assertEquals(BatchCompliance.Pass.IDLE, batch.run(now.plusSeconds(120)), "X: in progress");
        assertEquals(BatchCompliance.Pass.WORKED, batch.run(now.plusSeconds(180)));

        // Then: the window was asked twice and answered once
        assertEquals(2, db.count("SELECT count(*) FROM compliance_job WHERE state = 'REPLACED'"));
        assertEquals(2, db.count("SELECT count(*) FROM compliance_job WHERE state = 'DONE'"));
        assertEquals(1, db.count("SELECT count(DISTINCT window_from) FROM compliance_job WHERE job_type = 'tweets'"));
        assertTrue(sim.complianceUploads("tweets").getLast().contains(post));
    }

    @Test
    void theNextRunIsADayLaterAndAsksOnlyWhatWasStoredSince() {
        // Given: a finished run
        String account = randomId();
        String before = randomId();
        deliver(new String(tweet(account, before), StandardCharsets.UTF_8));
        db.awaitProjected();
        Instant first = Instant.now();
        batch.run(first);
        batch.run(first.plusSeconds(60));
        batch.run(first.plusSeconds(120));

        // When: a post arrives; an hour later nothing is due, a day later the next run asks
        String after = randomId();
        deliver(new String(tweet(account, after), StandardCharsets.UTF_8));
        db.awaitProjected();
        assertEquals(BatchCompliance.Pass.IDLE, batch.run(first.plus(Duration.ofHours(1))));
        assertEquals(BatchCompliance.Pass.WORKED, batch.run(first.plus(Duration.ofHours(24))));

        // Then
        List<String> asked = sim.complianceUploads("tweets").getLast();
        assertTrue(asked.contains(after), asked.toString());
        assertFalse(asked.contains(before), "checked by the run before");
    }
}
