package io.xwr.replay;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.Replica;
import io.xwr.store.GapCause;
import io.xwr.store.GapLog;
import io.xwr.store.GapState;
import io.xwr.store.Interval;
import io.xwr.store.Leases;
import io.xwr.store.ReplayJobs;
import io.xwr.store.StoredGap;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import io.xwr.xapi.XApi;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gap to replay to recovered, against the X simulator. Time is passed to each pass (X's clock moves with it),
 * so a gap becomes replayable without waiting 31 minutes.
 */
@QuarkusTest
class ReplayFlowTest {
    @Inject
    ReplayScheduler scheduler;

    @Inject
    GapLog gaps;

    @Inject
    ReplayJobs jobs;

    @Inject
    Leases leases;

    @Inject
    Replica replica;

    @Inject
    XApi x;

    @Inject
    ReplayConfig config;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private final XSimulator sim = XSimulatorResource.simulator();
    private Db db;

    @BeforeEach
    void onlyThisTestsGapsAreOpen() throws Exception {
        db = new Db(dataSource);
        // gaps other tests (or real restarts of the test application) left open are not this test's business
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE gap SET state = 'RECOVERED' WHERE state IN ('WAITING', 'REPLAYING')");
        }
        leases.release(ReplayScheduler.LEASE, replica.id());
    }

    @AfterEach
    void realTime() {
        sim.useClock(Clock.systemUTC());
    }

    @Test
    void aDowntimeGapIsReplayedOnceEligibleAndNothingIsDuplicated() {
        // Given: X tried three deliveries while nobody could accept, and the gap was detected
        String hook = sim.existingWebhook(webhookUrl + "?flow=" + randomId(), true);
        Instant down = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String account = randomId();
        at(down);
        for (int i = 0; i < 3; i++) {
            sim.deliveryFailed(hook, tweet(account, randomId()));
        }
        gaps.record(GapCause.DOWNTIME, null, new Interval(down.minusSeconds(20), down.plusSeconds(20)), down);

        // When: five minutes later X would refuse the window: nothing is asked
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, at(down.plus(Duration.ofMinutes(5)))));
        assertEquals(List.of(), sim.replayJobs(hook));

        // and 45 minutes later it is submitted, once
        Instant later = at(down.plus(Duration.ofMinutes(45)));
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, later));
        assertEquals(ReplayScheduler.Pass.JOB_RUNNING, scheduler.run(hook, later), "one job per webhook");

        // Then: X re-delivers the window and reports completion; the gap is recovered
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", statusKey(hook)) == 1);
        assertEquals(3, db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", account));
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, later.plusSeconds(60)));
        assertEquals(GapState.RECOVERED, gap(down.minusSeconds(20)).state());
        assertEquals(1, sim.replayJobs(hook).size());

        // and asking again changes nothing
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, later.plusSeconds(120)));
        assertEquals(1, sim.replayJobs(hook).size());
        assertEquals(3, db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", account));
    }

    @Test
    void anInvalidWebhookIsReValidatedAndItsSilenceReplayed() {
        // Given: the webhook was valid, then X marked it invalid and stopped delivering
        String hook = sim.existingWebhook(webhookUrl + "?invalid=" + randomId(), true);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, at(t)));
        sim.invalidate(hook);
        String account = randomId();
        at(t.plusSeconds(30));
        assertEquals(0, sim.deliver(hook, tweet(account, randomId())), "X delivers nothing to an invalid webhook");
        long puts = sim.calls("PUT", "/2/webhooks/" + hook);

        // When: the next pass sees it invalid
        scheduler.run(hook, at(t.plus(Duration.ofMinutes(2))));

        // Then: re-validated through X's CRC, and the invalid time is a gap replayed once eligible
        assertEquals(puts + 1, sim.calls("PUT", "/2/webhooks/" + hook));
        assertTrue(sim.valid(hook));
        StoredGap gap = gap(t);
        assertEquals(GapCause.WEBHOOK_INVALID, gap.cause());
        assertEquals(t.plus(Duration.ofMinutes(2)), gap.window().to());
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, at(t.plus(Duration.ofMinutes(45)))));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", account) == 1);
    }

    @Test
    void aJobXNeverReportsIsAskedForAgainAfterTheTimeout() {
        // Given: X accepts the job but its replay_job_status never comes
        String hook = sim.existingWebhook(webhookUrl + "?timeout=" + randomId(), true);
        Instant down = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        gaps.record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(40)), down);
        Instant later = at(down.plus(Duration.ofMinutes(45)));
        sim.completeReplays(false);
        try {
            assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, later));
        } finally {
            sim.completeReplays(true);
        }
        assertEquals(ReplayScheduler.Pass.JOB_RUNNING, scheduler.run(hook, at(later.plus(Duration.ofMinutes(10)))));

        // When: the completion timeout passes
        Instant timedOut = at(later.plus(config.completionTimeout()).plusSeconds(60));
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, timedOut));

        // Then: the same window was asked for again, and this time it completes and recovers the gap
        assertEquals(2, sim.replayJobs(hook).size());
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", statusKey(hook)) == 1);
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, timedOut.plusSeconds(60)));
        assertEquals(GapState.RECOVERED, gap(down).state());
        List<io.xwr.store.StoredReplayJob> asked = jobs.forGap(gap(down).id());
        assertEquals(
                List.of(io.xwr.store.ReplayState.TIMED_OUT, io.xwr.store.ReplayState.COMPLETE),
                asked.stream().map(io.xwr.store.StoredReplayJob::state).toList());
        assertEquals(asked.get(0).window(), asked.get(1).window());
    }

    @Test
    void twoReplicasAtOnceSubmitOneJob() throws Exception {
        // Given
        String hook = sim.existingWebhook(webhookUrl + "?two=" + randomId(), true);
        Instant down = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(3));
        gaps.record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(40)), down);
        Instant later = at(down.plus(Duration.ofMinutes(45)));
        List<ReplayScheduler> replicas = List.of(replica("replica-a"), replica("replica-b"));

        // When
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<ReplayScheduler.Pass>> passes = replicas.stream()
                    .map(r -> pool.submit(() -> r.run(hook, later)))
                    .toList();
            List<ReplayScheduler.Pass> results = passes.stream()
                    .map(f -> {
                        try {
                            return f.get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();

            // Then
            assertTrue(results.contains(ReplayScheduler.Pass.SUBMITTED), results.toString());
            assertTrue(results.contains(ReplayScheduler.Pass.NOT_LEADER), results.toString());
        }
        assertEquals(1, sim.replayJobs(hook).size());
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", statusKey(hook)) == 1);
    }

    private ReplayScheduler replica(String name) {
        return new ReplayScheduler(x, gaps, jobs, leases, Replica.named(name), config, Clock.systemUTC());
    }

    private String statusKey(String hook) {
        return "replay:" + hook + ":" + sim.replayJobs(hook).getLast() + ":Complete";
    }

    private StoredGap gap(Instant from) {
        return gaps.recent(1000).stream()
                .filter(g -> g.window().from().equals(from))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no gap from " + from));
    }

    /** Moves X's clock to {@code t} and returns it, for the pass run at the same time. */
    private Instant at(Instant t) {
        sim.useClock(Clock.fixed(t, ZoneOffset.UTC));
        return t;
    }
}
