package io.xwr.replay;

import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.Replica;
import io.xwr.store.GapCause;
import io.xwr.store.GapLog;
import io.xwr.store.GapState;
import io.xwr.store.Interval;
import io.xwr.store.Leases;
import io.xwr.store.ReplayJobs;
import io.xwr.store.ReplayState;
import io.xwr.store.StoredGap;
import io.xwr.xapi.ReplayJob;
import io.xwr.xapi.Webhook;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * On the replica holding the {@code replay} lease: watches the webhook's validity (re-validating it and
 * recording the silence as a gap), settles replay jobs from their {@code replay_job_status}, and asks X to
 * replay the next window of the oldest open gap once X accepts it, one job per webhook at a time. Replayed
 * deliveries go through the normal path, where event keys drop every duplicate.
 */
@ApplicationScoped
public class ReplayScheduler {
    static final String LEASE = "replay";
    private static final Logger LOG = Logger.getLogger(ReplayScheduler.class);

    /** What one pass did. */
    public enum Pass {
        NOT_LEADER,
        WEBHOOK_INVALID,
        JOB_RUNNING,
        SUBMITTED,
        DEFERRED,
        IDLE
    }

    private final XApi x;
    private final GapLog gaps;
    private final ReplayJobs jobs;
    private final Leases leases;
    private final Replica replica;
    private final ReplayConfig config;
    private final Clock clock;
    private final ReplayPlanner planner;
    /** Per webhook, in the leader's memory (a new leader starts from its first look). */
    private final Map<String, Instant> lastSeenValid = new ConcurrentHashMap<>();

    private final Map<String, Instant> invalidSince = new ConcurrentHashMap<>();

    ReplayScheduler(
            XApi x, GapLog gaps, ReplayJobs jobs, Leases leases, Replica replica, ReplayConfig config, Clock clock) {
        this.x = x;
        this.gaps = gaps;
        this.jobs = jobs;
        this.leases = leases;
        this.replica = replica;
        this.config = config;
        this.clock = clock;
        this.planner = new ReplayPlanner(config.margin());
    }

    @Scheduled(
            identity = "xwr-replay",
            every = "${xwr.replay.interval:30s}",
            delayed = "${xwr.replay.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.enabled() || !x.configured()) {
            return;
        }
        try {
            webhookId().ifPresent(id -> run(id, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warnf("Replay pass failed: %s", e.getMessage());
        }
    }

    /** The configured webhook, or the registered one with the configured URL. */
    Optional<String> webhookId() {
        if (config.webhookId().isPresent()) {
            return config.webhookId();
        }
        return config.webhookUrl().flatMap(url -> x.webhooks().stream()
                .filter(w -> w.url().equals(url))
                .map(Webhook::id)
                .findFirst());
    }

    /** One pass for the webhook as of {@code now} (tests pass a later now instead of waiting for it). */
    public Pass run(String webhookId, Instant now) {
        if (!leases.acquire(LEASE, replica.id(), now, config.interval().multipliedBy(3))) {
            return Pass.NOT_LEADER;
        }
        if (!watchValidity(webhookId, now)) {
            return Pass.WEBHOOK_INVALID;
        }
        jobs.settle(now, now.minus(config.completionTimeout()));
        if (jobs.running(webhookId)) {
            return Pass.JOB_RUNNING; // X runs one job per webhook at a time
        }
        List<StoredGap> open = openGaps();
        for (StoredGap gap : open) {
            ReplayPlanner.Plan plan = planner.plan(gap.window(), now);
            Set<Instant> replayed = jobs.forGap(gap.id()).stream()
                    .filter(j -> j.state() == ReplayState.COMPLETE)
                    .map(j -> j.window().from())
                    .collect(Collectors.toSet());
            Optional<ReplayWindow> next = plan.ready().stream()
                    .filter(w -> !replayed.contains(w.from()))
                    .findFirst();
            if (next.isPresent()) {
                return submit(gap, next.get(), webhookId, now);
            }
            if (plan.nextReadyAt() == null) {
                finish(gap, plan, replayed.isEmpty(), now);
            }
        }
        return Pass.IDLE;
    }

    private List<StoredGap> openGaps() {
        List<StoredGap> open = new ArrayList<>(gaps.inState(GapState.REPLAYING));
        open.addAll(gaps.inState(GapState.WAITING));
        open.sort(Comparator.comparing(g -> g.window().from()));
        return open;
    }

    private Pass submit(StoredGap gap, ReplayWindow window, String webhookId, Instant now) {
        try {
            ReplayJob job = x.replay(webhookId, window.from(), window.to());
            jobs.submitted(gap.id(), webhookId, job.jobId(), new Interval(window.from(), window.to()), now);
            gaps.update(gap.id(), GapState.REPLAYING, "replay job " + job.jobId() + " for " + window, now);
            LOG.infof(
                    "Replay job %s submitted for %s to %s (gap %d)", job.jobId(), window.from(), window.to(), gap.id());
            return Pass.SUBMITTED;
        } catch (XApiException.Rejected e) {
            if ("CrcValidationFailed".equals(e.reason())) {
                // X marked the webhook invalid: re-validate first, replay on the next pass
                x.validateWebhook(webhookId);
            }
            gaps.update(gap.id(), gap.state(), "X refused the replay: " + e.reason(), now);
            return Pass.DEFERRED;
        } catch (XApiException.RateLimited e) {
            gaps.update(gap.id(), gap.state(), "replay rate limit until " + e.resetAt(), now);
            return Pass.DEFERRED;
        } catch (XApiException | CircuitBreakerOpenException e) {
            gaps.update(gap.id(), gap.state(), "X unavailable, will retry", now);
            return Pass.DEFERRED;
        }
    }

    private void finish(StoredGap gap, ReplayPlanner.Plan plan, boolean nothingReplayed, Instant now) {
        if (plan.partlyLost() && nothingReplayed) {
            gaps.update(gap.id(), GapState.LOST, "older than X's 24 hours of replay", now);
        } else {
            gaps.update(
                    gap.id(),
                    GapState.RECOVERED,
                    plan.partlyLost() ? "replayed; the part older than 24 hours was beyond X's reach" : "replayed",
                    now);
        }
    }

    /**
     * X stops delivering to an invalid webhook (spec 1.6). Seen invalid: ask X for a CRC now; once valid again,
     * the time it was invalid becomes a gap. Returns whether the webhook is valid.
     */
    private boolean watchValidity(String webhookId, Instant now) {
        Optional<Webhook> hook =
                x.webhooks().stream().filter(w -> w.id().equals(webhookId)).findFirst();
        if (hook.isEmpty()) {
            return false;
        }
        Instant since = invalidSince.get(webhookId);
        if (hook.get().valid() && since == null) {
            lastSeenValid.put(webhookId, now);
            return true;
        }
        if (since == null) {
            since = lastSeenValid.getOrDefault(webhookId, now);
            invalidSince.put(webhookId, since);
            LOG.warnf("Webhook %s is marked invalid by X: re-validating", webhookId);
        }
        if (hook.get().valid() || x.validateWebhook(webhookId)) {
            gaps.record(GapCause.WEBHOOK_INVALID, webhookId, new Interval(since, now), now);
            LOG.infof("Webhook %s is valid again; %s to %s will be replayed", webhookId, since, now);
            invalidSince.remove(webhookId);
            lastSeenValid.put(webhookId, now);
            return true;
        }
        return false;
    }
}
