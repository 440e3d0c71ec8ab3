package io.xwr.replay;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.Interval;
import io.xwr.coverage.LeaderJobs;
import io.xwr.coverage.Leases;
import io.xwr.coverage.Replica;
import io.xwr.coverage.StoredGap;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    XApi x;

    @Inject
    ReplayConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private static final Set<Instant> STARTS = ConcurrentHashMap.newKeySet();

    private final XSimulator sim = XSimulatorResource.simulator();
    private Db db;

    @BeforeEach
    void onlyThisTestsGapsAreOpen() throws Exception {
        db = new Db(dataSource);
        // gaps other tests (or real restarts of the test application) left open are not this test's business
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE gap SET state = 'RECOVERED' WHERE state IN ('WAITING', 'REPLAYING')");
            // whoever held the replay lease (another test application, under another replica id) let go
            s.executeUpdate("DELETE FROM job_lease WHERE name = 'replay'");
        }
    }

    @AfterEach
    void realTime() {
        sim.useClock(Clock.systemUTC());
        sim.replayStatus("Complete");
        sim.releaseReplays();
    }

    @Test
    void aDowntimeGapIsReplayedOnceEligibleAndNothingIsDuplicated() {
        // Given: X tried three deliveries while nobody could accept, and the gap was detected
        String hook = sim.existingWebhook(webhookUrl + "?flow=" + randomId(), true);
        Instant down = unused(Instant.now().truncatedTo(ChronoUnit.SECONDS), ChronoUnit.SECONDS);
        String account = randomId();
        at(down);
        for (int i = 0; i < 3; i++) {
            sim.deliveryFailed(hook, tweet(account, randomId()));
        }
        record(GapCause.DOWNTIME, null, new Interval(down.minusSeconds(20), down.plusSeconds(20)), down);

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

    /** Found with two replicas: a second hole a few seconds after the first had its minutes asked again. */
    @Test
    void twoGapsOverTheSameMinutesAskEachWindowOnce() {
        // Given: two holes 20 s apart, whose spans (with the margin) cover the same minutes
        String hook = sim.existingWebhook(webhookUrl + "?overlap=" + randomId(), true);
        Instant down =
                unused(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10)), ChronoUnit.MINUTES);
        record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(10)), down);
        record(GapCause.DOWNTIME, null, new Interval(down.plusSeconds(30), down.plusSeconds(40)), down);
        sim.replayStatus(null);
        Instant t = down.plus(Duration.ofMinutes(45));

        // When: a pass every completion timeout
        List<ReplayScheduler.Pass> passes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            passes.add(scheduler.run(hook, at(t)));
            t = t.plus(config.completionTimeout()).plusSeconds(60);
        }

        // Then: one window asked, for the first gap; the second is settled by it
        assertEquals(
                List.of(ReplayScheduler.Pass.SUBMITTED, ReplayScheduler.Pass.IDLE, ReplayScheduler.Pass.IDLE), passes);
        assertEquals(1, sim.replayJobs(hook).size());
        assertEquals(GapState.UNCONFIRMED, gap(down).state());
        assertEquals(GapState.UNCONFIRMED, gap(down.plusSeconds(30)).state());
    }

    /** The bug an X without statuses showed: a 4-hour gap never got past its first window. */
    @Test
    void withoutStatusesEveryWindowIsRequestedOnceInOrder() {
        // Given: a 4-hour outage, and an X that sends no replay_job_status (as documented for the current API)
        String hook = sim.existingWebhook(webhookUrl + "?nostatus=" + randomId(), true);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        Instant down = end.minus(Duration.ofHours(4));
        record(GapCause.MANUAL, null, new Interval(down, end), down);
        sim.replayStatus(null);
        Instant t = end.plus(Duration.ofMinutes(45));

        // When: a pass every completion timeout
        List<ReplayScheduler.Pass> passes = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            passes.add(scheduler.run(hook, at(t)));
            t = t.plus(config.completionTimeout()).plusSeconds(60);
        }

        // Then: three windows, each asked once, in order and contiguous; the gap is requested but unconfirmed
        assertEquals(
                List.of(
                        ReplayScheduler.Pass.SUBMITTED,
                        ReplayScheduler.Pass.SUBMITTED,
                        ReplayScheduler.Pass.SUBMITTED,
                        ReplayScheduler.Pass.IDLE),
                passes);
        List<StoredReplayJob> asked = jobs.forGap(gap(down).id());
        assertEquals(3, sim.replayJobs(hook).size());
        assertEquals(
                List.of(ReplayState.UNCONFIRMED, ReplayState.UNCONFIRMED, ReplayState.UNCONFIRMED),
                asked.stream().map(StoredReplayJob::state).toList());
        assertEquals(asked.get(0).window().to(), asked.get(1).window().from());
        assertEquals(asked.get(1).window().to(), asked.get(2).window().from());
        assertEquals(GapState.UNCONFIRMED, gap(down).state());
    }

    @Test
    void aLateStatusStillSettlesTheJobAndRecoversTheGap() {
        // Given: a job that went unconfirmed
        String hook = sim.existingWebhook(webhookUrl + "?late=" + randomId(), true);
        Instant down =
                unused(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5)), ChronoUnit.SECONDS);
        record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(40)), down);
        Instant later = at(down.plus(Duration.ofMinutes(45)));
        sim.replayStatus(null);
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, later));
        Instant timedOut = at(later.plus(config.completionTimeout()).plusSeconds(60));
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, timedOut));
        assertEquals(GapState.UNCONFIRMED, gap(down).state());

        // When: X's status arrives after all, spelled in lower case
        String job = sim.replayJobs(hook).getLast();
        assertEquals(200, sim.sendReplayStatus(hook, job, "complete"));
        db.awaitProjected(); // the status is a delivery like any other: read once projected
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, at(timedOut.plusSeconds(60))));

        // Then
        assertEquals(
                ReplayState.COMPLETE, jobs.forGap(gap(down).id()).getFirst().state());
        assertEquals(GapState.RECOVERED, gap(down).state());
        assertEquals(1, sim.replayJobs(hook).size(), "the window was never asked again");
    }

    @Test
    void anIncompleteWindowIsAskedOnceMoreAndAnUnknownStateIsKept() {
        // Given: X reports the first job INCOMPLETE (upper case) and the second with a state nobody documented
        String hook = sim.existingWebhook(webhookUrl + "?incomplete=" + randomId(), true);
        Instant down =
                unused(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5)), ChronoUnit.SECONDS);
        record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(40)), down);
        Instant later = at(down.plus(Duration.ofMinutes(45)));
        sim.replayStatus("INCOMPLETE");
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, later));
        awaitStatus(hook, "INCOMPLETE");

        // When
        sim.replayStatus("Paused");
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, at(later.plusSeconds(60))));
        awaitStatus(hook, "Paused");
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, at(later.plusSeconds(120))));

        // Then: the same window twice, never a third time; the unknown state kept as X wrote it
        List<StoredReplayJob> asked = jobs.forGap(gap(down).id());
        assertEquals(
                List.of(ReplayState.INCOMPLETE, ReplayState.REPORTED),
                asked.stream().map(StoredReplayJob::state).toList());
        assertEquals(asked.get(0).window(), asked.get(1).window());
        assertEquals("replay_job_status Paused", asked.get(1).description());
        assertEquals(GapState.UNCONFIRMED, gap(down).state());
        assertEquals(ReplayScheduler.Pass.IDLE, scheduler.run(hook, at(later.plusSeconds(180))));
        assertEquals(2, sim.replayJobs(hook).size());
    }

    @Test
    void aConflictWaitsAndAsksTheSameWindowLater() {
        // Given: a job X keeps running long after we stopped waiting for it, and a gap of two windows
        String hook = sim.existingWebhook(webhookUrl + "?conflict=" + randomId(), true);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        Instant down = end.minus(Duration.ofHours(3));
        record(GapCause.MANUAL, null, new Interval(down, end), down);
        sim.replayStatus(null);
        sim.holdReplays(true);
        Instant t = at(end.plus(Duration.ofMinutes(45)));
        assertEquals(ReplayScheduler.Pass.SUBMITTED, scheduler.run(hook, t));

        // When: the next window is due while X still runs the first job
        Instant next = at(t.plus(config.completionTimeout()).plusSeconds(60));
        ReplayScheduler.Pass refused = scheduler.run(hook, next);
        sim.releaseReplays();
        ReplayScheduler.Pass retried = scheduler.run(hook, at(next.plusSeconds(60)));

        // Then: 409 is a wait, not a failure, and the same window is asked once X is free
        assertEquals(ReplayScheduler.Pass.DEFERRED, refused);
        assertEquals(ReplayScheduler.Pass.SUBMITTED, retried);
        List<StoredReplayJob> asked = jobs.forGap(gap(down).id());
        assertEquals(2, asked.size(), "the refused request is not a job");
        assertEquals(asked.get(0).window().to(), asked.get(1).window().from());
    }

    @Test
    void aGapOlderThanXsHorizonIsTrimmedOnceAndTheLostPartRecorded() {
        // Given: an outage from 30 to 20 hours ago, seen only now
        String hook = sim.existingWebhook(webhookUrl + "?horizon=" + randomId(), true);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant down = now.minus(Duration.ofHours(30));
        record(GapCause.DOWNTIME, null, new Interval(down, now.minus(Duration.ofHours(20))), now);
        double lostBefore = unrecoverableSeconds();

        // When: passes as each window completes, the clock moving on
        Instant t = now;
        List<StoredReplayJob> asked = List.of();
        for (int i = 0; i < 8; i++) {
            ReplayScheduler.Pass pass = scheduler.run(hook, at(t));
            if (pass == ReplayScheduler.Pass.SUBMITTED) {
                awaitStatus(hook, "Complete");
            }
            t = t.plus(Duration.ofMinutes(5));
        }

        // Then: one LOST row for what lay beyond the horizon, and every later window asked once, in order
        StoredGap lost = gap(down);
        assertEquals(GapState.LOST, lost.state());
        Instant horizon = now.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(10));
        assertEquals(horizon, lost.window().to());
        assertEquals(Duration.between(down, horizon).toSeconds(), unrecoverableSeconds() - lostBefore, 0.1);
        StoredGap kept = gaps.recent(1000).stream()
                .filter(g -> g.cause() == GapCause.DOWNTIME && g.window().to().equals(now.minus(Duration.ofHours(20))))
                .findFirst()
                .orElseThrow();
        asked = jobs.forGap(kept.id());
        assertEquals(horizon, asked.getFirst().window().from());
        for (int i = 1; i < asked.size(); i++) {
            assertEquals(asked.get(i - 1).window().to(), asked.get(i).window().from(), "window " + i);
        }
        assertEquals(asked.size(), sim.replayJobs(hook).size());
        assertEquals(GapState.RECOVERED, kept.state());
    }

    @Test
    void twoReplicasAtOnceSubmitOneJob() throws Exception {
        // Given
        String hook = sim.existingWebhook(webhookUrl + "?two=" + randomId(), true);
        Instant down =
                unused(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(3)), ChronoUnit.SECONDS);
        record(GapCause.DOWNTIME, null, new Interval(down, down.plusSeconds(40)), down);
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
        return new ReplayScheduler(
                x, gaps, jobs, new LeaderJobs(leases, Replica.named(name)), config, Clock.systemUTC(), registry);
    }

    private String statusKey(String hook) {
        return statusKey(hook, "Complete");
    }

    private String statusKey(String hook, String state) {
        return "replay:" + hook + ":" + sim.replayJobs(hook).getLast() + ":" + state;
    }

    /** Waits until X's status for the webhook's newest job is stored. */
    private void awaitStatus(String hook, String state) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", statusKey(hook, state))
                        == 1);
    }

    private double unrecoverableSeconds() {
        var counter = registry.find("xwr.gap.unrecoverable").counter();
        return counter == null ? 0 : counter.count();
    }

    private StoredGap gap(Instant from) {
        return gaps.recent(1000).stream()
                .filter(g -> g.window().from().equals(from))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no gap from " + from));
    }

    /** Moves X's clock to {@code t} and returns it, for the pass run at the same time. */
    /**
     * Gaps are unique by cause and start, and these tests run within the same second: two starting at the same
     * instant would silently be one (the second test would then find its gap already recovered).
     */
    private static Instant unused(Instant start, ChronoUnit step) {
        Instant candidate = start;
        while (!STARTS.add(candidate)) {
            candidate = candidate.minus(1, step);
        }
        return candidate;
    }

    private void record(GapCause cause, String webhookId, Interval window, Instant now) {
        assertTrue(gaps.record(cause, webhookId, window, now), "a gap starting at " + window.from() + " exists");
    }

    private Instant at(Instant t) {
        sim.useClock(Clock.fixed(t, ZoneOffset.UTC));
        return t;
    }
}
