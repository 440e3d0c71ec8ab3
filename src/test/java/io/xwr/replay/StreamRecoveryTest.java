package io.xwr.replay;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.deliver;
import static io.xwr.testing.Deliveries.randomId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.Interval;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gap recovered through the filtered stream's connection API, for an X whose webhook replay does not re-send
 * stream posts: every post of the window arrives once as an event, the ones already stored add nothing, and a
 * long window is read over several passes.
 */
@QuarkusTest
@TestProfile(StreamRecoveryTest.Connection.class)
class StreamRecoveryTest {
    @Inject
    StreamRecovery recovery;

    @Inject
    GapLog gaps;

    @Inject
    AgroalDataSource dataSource;

    private final XSimulator sim = XSimulatorResource.simulator();
    private Db db;

    @BeforeEach
    void onlyThisTestsGaps() throws Exception {
        db = new Db(dataSource);
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            // gaps other tests left are not this test's to read
            s.executeUpdate(
                    "INSERT INTO stream_recovery (gap_id, window_from, window_to, read_up_to, state, updated_at)"
                            + " SELECT id, from_at, to_at, to_at, 'DONE', CURRENT_TIMESTAMP FROM gap"
                            + " WHERE id NOT IN (SELECT gap_id FROM stream_recovery)");
        }
        sim.replayCoversStream(false);
    }

    @AfterEach
    void replayAsDocumented() {
        sim.replayCoversStream(true);
    }

    @Test
    void aStreamGapIsReadFromTheConnectionApiAndOnlyWhatWasMissingIsAdded() {
        // Given: an outage two hours ago; the stream matched three posts in it, one of which got through anyway,
        // and one just after it
        Instant down = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        String author = randomId();
        String[] posts = {randomId(), randomId(), randomId(), randomId()};
        for (int i = 0; i < posts.length; i++) {
            Instant at = down.plusSeconds(10 + 20L * i + (i == 3 ? 600 : 0));
            sim.streamPost(line(posts[i], author, at), at);
        }
        deliver(line(posts[0], author, down.plusSeconds(10)));
        gaps.record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(70)), down.plusSeconds(70));
        long before = db.awaitProjected().count("SELECT count(*) FROM activity_event WHERE account_id = ?", author);

        // When: read one post per pass
        Instant now = Instant.now();
        int passes = 0;
        while (recovery.run(now.plusSeconds(passes), 1, Duration.ofSeconds(10)) == StreamRecovery.Pass.READ
                && passes < 10) {
            passes++;
        }

        // Then: the three posts of the window (with the 2-minute margin) are events, once each; the later one is not
        db.awaitProjected();
        assertEquals(1, before);
        assertEquals(3, db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", author));
        assertEquals(0, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", "stream:" + posts[3]));
        assertTrue(passes > 1, "one post per pass: " + passes + " passes");
        given().header("Authorization", "Bearer test-admin-token-0123456789abcdef")
                .get("/admin/x/stream/recoveries")
                .then()
                .statusCode(200)
                .body("find { it.windowFrom == '" + down.minus(Duration.ofMinutes(2)) + "' }.state", equalTo("DONE"));
        assertEquals(StreamRecovery.Pass.IDLE, recovery.run(now.plusSeconds(60), 1, Duration.ofSeconds(10)));
    }

    private static String line(String id, String author, Instant at) {
        return "{\"data\":{\"id\":\"" + id + "\",\"text\":\"stream " + id + "\",\"author_id\":\"" + author
                + "\",\"created_at\":\"" + at + "\",\"edit_history_tweet_ids\":[\"" + id + "\"]},"
                + "\"matching_rules\":[{\"id\":\"7\",\"tag\":\"recovery\"}]}";
    }

    /** An X whose replay does not cover stream links: gaps are read from the connection API. */
    public static class Connection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xwr.stream.recovery", "connection", "xwr.replay.interval", "1h");
        }
    }
}
