package io.xwr.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.RelayOff;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the relay claims outbox rows, on PostgreSQL, with the relay thread off so only the test drains. The
 * lanes used here (40, 41) exist only during the test, so rows of other tests are never touched.
 */
@QuarkusTest
@TestProfile(RelayOff.class) // the test is the only one draining
class OutboxClaimTest {
    private static final int A = 40;
    private static final int B = 41;

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    private Db db;
    private final String run = Deliveries.randomId();

    @BeforeEach
    void addLanes() throws SQLException {
        db = new Db(dataSource);
        execute("DELETE FROM outbox WHERE lane IN (40, 41)");
        execute("DELETE FROM outbox_lane WHERE lane IN (40, 41)");
        execute("INSERT INTO outbox_lane (lane) VALUES (40)");
        execute("INSERT INTO outbox_lane (lane) VALUES (41)");
    }

    @AfterEach
    void removeLanes() throws SQLException {
        execute("DELETE FROM outbox WHERE lane IN (40, 41)");
        execute("DELETE FROM outbox_lane WHERE lane IN (40, 41)");
    }

    @Test
    void aRowCommittedLateWithALowerIdIsPublishedNextTimeNotDeletedUnsent() throws Exception {
        // Given: a recording transaction takes an id first but commits last
        try (Connection late = dataSource.getConnection()) {
            late.setAutoCommit(false);
            insert(late, A, "late");
            try (Connection c = dataSource.getConnection()) {
                insert(c, A, "early");
            }

            // When: it commits while the relay is publishing the rows it could see
            List<String> first = new ArrayList<>();
            Outbox.Drain drain = outbox.drainLanes(
                    List.of(A),
                    batch -> {
                        batch.forEach(m -> first.add(m.eventKey()));
                        commit(late);
                        return new PublishOutcome.Published();
                    },
                    Instant.now());

            // Then: the late row stays for the next drain, which publishes it
            assertEquals(DrainResult.PUBLISHED, drain.result());
            assertEquals(List.of(key("early")), first);
            assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key("late")));
            assertEquals(List.of(key("late")), drainKeys(List.of(A)));
            assertEquals(0, db.count("SELECT count(*) FROM outbox WHERE lane IN (40, 41)"));
        }
    }

    @Test
    void oneDrainCarriesSeveralLanesEachInItsOrder() throws Exception {
        // Given
        try (Connection c = dataSource.getConnection()) {
            insert(c, A, "a1");
            insert(c, B, "b1");
            insert(c, A, "a2");
            insert(c, B, "b2");
        }

        // When
        List<String> published = drainKeys(List.of(A, B));

        // Then
        assertEquals(List.of(key("a1"), key("b1"), key("a2"), key("b2")), published);
        assertEquals(0, db.count("SELECT count(*) FROM outbox WHERE lane IN (40, 41)"));
    }

    @Test
    void aLaneAnotherRelayHoldsIsLeftAlone() throws Exception {
        // Given: rows in two lanes, and another replica working on lane A
        try (Connection c = dataSource.getConnection()) {
            insert(c, A, "a1");
            insert(c, B, "b1");
        }
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock =
                    other.prepareStatement("SELECT lane FROM outbox_lane WHERE lane = 40 FOR UPDATE")) {
                lock.executeQuery().close();
            }

            // When / Then: only lane B is drained, and lane A alone is busy
            assertEquals(List.of(key("b1")), drainKeys(List.of(A, B)));
            assertEquals(
                    DrainResult.BUSY,
                    outbox.drainLanes(List.of(A), batch -> new PublishOutcome.Published(), Instant.now())
                            .result());
            other.rollback();
        }
        assertEquals(List.of(key("a1")), drainKeys(List.of(A, B)));
    }

    @Test
    void aFailedPublishDeletesNothingAndBlamesTheFailingRowsLane() throws Exception {
        // Given
        try (Connection c = dataSource.getConnection()) {
            insert(c, A, "a1");
            insert(c, B, "b1");
        }

        // When: Kafka refuses the second row of the batch
        Outbox.Drain drain = outbox.drainLanes(
                List.of(A, B), batch -> new PublishOutcome.Failed(1, "RecordTooLargeException", false), Instant.now());

        // Then
        assertEquals(DrainResult.FAILED, drain.result());
        assertEquals(B, drain.failedLane());
        assertEquals(2, db.count("SELECT count(*) FROM outbox WHERE lane IN (40, 41)"));
        assertEquals(1, db.count("SELECT attempts FROM outbox WHERE event_key = ?", key("b1")));
        assertEquals(0, db.count("SELECT attempts FROM outbox WHERE event_key = ?", key("a1")));
    }

    private List<String> drainKeys(List<Integer> lanes) {
        List<String> keys = new ArrayList<>();
        Outbox.Drain drain = outbox.drainLanes(
                lanes,
                batch -> {
                    batch.forEach(m -> keys.add(m.eventKey()));
                    return new PublishOutcome.Published();
                },
                Instant.now());
        assertEquals(DrainResult.PUBLISHED, drain.result());
        return keys;
    }

    private String key(String name) {
        return "test:" + run + ":" + name;
    }

    private void insert(Connection c, int lane, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (lane, event_key, topic, message_key, event_type, ce_time, payload, created_at)
                VALUES (?, ?, 'x.activity', ?, 'post.created', now(), '{}', now())
                """)) {
            ps.setInt(1, lane);
            ps.setString(2, key(name));
            ps.setString(3, run);
            ps.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private static void commit(Connection c) {
        try {
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
