package io.xwr.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeats, leases and gap detection on the real PostgreSQL. */
@QuarkusTest
class CoverageTest {
    private static final Duration TOLERANCE = Duration.ofSeconds(30);

    @Inject
    CoverageLog coverage;

    @Inject
    Leases leases;

    @Inject
    GapScanner scanner;

    @Inject
    GapLog gaps;

    @Inject
    Heartbeat heartbeat;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void beatsExtendASpanAndASilenceStartsANewOne() {
        Db db = new Db(dataSource);
        String replica = "test-" + Deliveries.randomId();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        coverage.beat(replica, t0, TOLERANCE);
        coverage.beat(replica, t0.plusSeconds(5), TOLERANCE);
        coverage.beat(replica, t0.plusSeconds(10), TOLERANCE);
        coverage.beat(replica, t0.plusSeconds(100), TOLERANCE); // 90 s of silence

        assertEquals(
                List.of(10L, 0L),
                db
                        .column(
                                "SELECT CAST(EXTRACT(EPOCH FROM (to_at - from_at)) AS BIGINT) FROM coverage"
                                        + " WHERE replica_id = ? ORDER BY id",
                                replica)
                        .stream()
                        .map(v -> ((Number) v).longValue())
                        .toList());
    }

    @Test
    void oneReplicaHoldsALeaseUntilItExpires() throws Exception {
        String job = "test-" + Deliveries.randomId();
        Instant now = Instant.now();

        assertTrue(leases.acquire(job, "a", now, Duration.ofSeconds(30)));
        assertFalse(leases.acquire(job, "b", now.plusSeconds(10), Duration.ofSeconds(30)));
        assertTrue(leases.acquire(job, "a", now.plusSeconds(10), Duration.ofSeconds(30)), "the holder renews");
        assertTrue(leases.acquire(job, "b", now.plusSeconds(41), Duration.ofSeconds(30)), "expired: b takes it");
        assertFalse(leases.acquire(job, "a", now.plusSeconds(42), Duration.ofSeconds(30)));
    }

    @Test
    void replicasRacingForANewLeaseLeaveExactlyOneHolder() throws Exception {
        String job = "test-" + Deliveries.randomId();
        Instant now = Instant.now();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String holder = "replica-" + i;
                tries.add(pool.submit(
                        (Callable<Boolean>) () -> leases.acquire(job, holder, now, Duration.ofSeconds(30))));
            }
            int winners = 0;
            for (Future<Boolean> t : tries) {
                winners += t.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
        }
    }

    @Test
    void aStretchNoReplicaCoveredBecomesOneGap() throws Exception {
        // Given: a replica that ran from 5 h to 4 h ago, then nothing until this test run's replicas
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant stopped = now.minus(Duration.ofHours(4)).minusSeconds(Long.parseLong(Deliveries.randomId()) % 600);
        insertCoverage("earlier-" + Deliveries.randomId(), stopped.minus(Duration.ofHours(1)), stopped);

        // When: this replica beats (ending the hole) and the leader scans, twice
        heartbeat.beat();
        scanner.scan();
        scanner.scan();

        // Then
        List<?> found = gaps.recent(1000).stream()
                .filter(g -> g.cause() == GapCause.DOWNTIME && g.window().from().equals(stopped))
                .toList();
        assertEquals(1, found.size(), "recorded once");
        assertTrue(gaps.recent(1000).stream()
                .filter(g -> g.window().from().equals(stopped))
                .allMatch(g ->
                        g.window().to().isAfter(stopped) && !g.window().to().isAfter(now)));
    }

    private void insertCoverage(String replica, Instant from, Instant to) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO coverage (replica_id, from_at, to_at) VALUES (?, ?, ?)")) {
            ps.setString(1, replica);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            ps.executeUpdate();
        }
    }
}
