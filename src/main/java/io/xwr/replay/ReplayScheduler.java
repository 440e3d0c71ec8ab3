package io.xwr.replay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.Interval;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.coverage.StoredGap;
import io.xwr.xapi.ReplayJob;
import io.xwr.xapi.Webhook;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * On the replica holding the {@code replay} lease: watches the webhook's validity (re-validating it and
 * recording the silence as a gap), settles replay jobs from their {@code replay_job_status} (or, with none,
 * calls them unconfirmed after the completion timeout), and asks X to replay the next window of the oldest open
 * gap once X accepts it, one job per webhook at a time and no window more than twice. Replayed deliveries go
 * through the normal path, where event keys drop every duplicate.
 */
@ApplicationScoped
@Startup // its meters exist from the first scrape
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
    private final LeaderJob leader;
    private final ReplayConfig config;
    private final Clock clock;
    private final ReplayPlanner planner;
    /** Per webhook, in the leader's memory (a new leader starts from its first look). */
    private final Map<String, Instant> lastSeenValid = new ConcurrentHashMap<>();

    private final Map<String, Instant> invalidSince = new ConcurrentHashMap<>();
    private final Counter unrecoverable;

    ReplayScheduler(
            XApi x,
            GapLog gaps,
            ReplayJobs jobs,
            LeaderJobs leaders,
            ReplayConfig config,
            Clock clock,
            MeterRegistry registry) {
        this.x = x;
        this.gaps = gaps;
        this.jobs = jobs;
        this.leader = leaders.job(LEASE, config.interval().multipliedBy(3));
        this.config = config;
        this.clock = clock;
        this.planner = new ReplayPlanner(
                config.margin(),
                config.window().startAge(),
                config.window().endAge(),
                config.window().maxSpan());
        this.unrecoverable = Counter.builder("xwr.gap.unrecoverable")
                .description("Seconds of gaps that lay beyond X's replay horizon before they could be replayed")
                .baseUnit("seconds")
                .register(registry);
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
        if (!leader.leads(now)) {
            return Pass.NOT_LEADER;
        }
        if (!watchValidity(webhookId, now)) {
            return Pass.WEBHOOK_INVALID;
        }
        settle(webhookId, now);
        if (jobs.running(webhookId)) {
            return Pass.JOB_RUNNING; // X runs one job per webhook at a time
        }
        for (StoredGap gap : openGaps()) {
            Pass pass = advance(gap, webhookId, now);
            if (pass != null) {
                return pass;
            }
        }
        return Pass.IDLE;
    }

    /**
     * Statuses stored by any replica settle their jobs, late ones too, whatever the job's state ({@code
     * job_state} compared without case; one this service does not know is kept as REPORTED). Jobs with no
     * status after the completion timeout become UNCONFIRMED, and the planner moves on.
     */
    private void settle(String webhookId, Instant now) {
        Map<String, String> reported = jobs.reportedStates();
        for (StoredReplayJob job : jobs.settleable(webhookId)) {
            String xState = reported.get(job.xJobId());
            if (xState == null) {
                continue;
            }
            ReplayState state = stateOf(xState);
            if (state != job.state()) {
                jobs.settle(job.id(), state, "replay_job_status " + xState, now);
                LOG.infof("Replay job %s settled by X's status %s", job.xJobId(), xState);
                reopen(job.gapId(), xState, now);
            }
        }
        int unconfirmed = jobs.unconfirm(webhookId, now.minus(config.completionTimeout()), now);
        if (unconfirmed > 0) {
            LOG.infof(
                    "%d replay job(s) without a status after %s: requested, unconfirmed",
                    unconfirmed, config.completionTimeout());
        }
    }

    /** A gap finished as unconfirmed is looked at again when one of its jobs gets a status after all. */
    private void reopen(Long gapId, String xState, Instant now) {
        if (gapId == null) {
            return;
        }
        for (StoredGap gap : gaps.inState(GapState.UNCONFIRMED)) {
            if (gap.id() == gapId) {
                gaps.update(gapId, GapState.REPLAYING, "a late replay_job_status " + xState + " arrived", now);
            }
        }
    }

    static ReplayState stateOf(String jobState) {
        return switch (jobState.trim().toLowerCase(Locale.ROOT)) {
            case "complete", "completed" -> ReplayState.COMPLETE;
            case "incomplete" -> ReplayState.INCOMPLETE;
            default -> ReplayState.REPORTED;
        };
    }

    /** Asks for the gap's next window if X accepts it now; null when this gap has nothing to ask now. */
    private Pass advance(StoredGap gap, String webhookId, Instant now) {
        Interval span = planner.span(gap.window());
        List<StoredReplayJob> asked = jobs.overlapping(webhookId, span);
        Instant cursor = planner.cursor(span, asked);
        Instant horizon = planner.horizon(now);
        if (cursor.isBefore(span.to()) && cursor.isBefore(horizon)) {
            if (!horizon.isBefore(span.to())) {
                lost(
                        gap,
                        new Interval(
                                maxOf(cursor, gap.window().from()), gap.window().to()),
                        now);
                gaps.update(gap.id(), GapState.LOST, "beyond X's replay horizon before it could be replayed", now);
                return null;
            }
            // Trimmed once, to a fixed start: the windows that follow never slide with the clock.
            Interval lostPart = new Interval(maxOf(cursor, gap.window().from()), horizon);
            gaps.trim(gap, lostPart, planner.gapStartFor(horizon), now);
            lost(gap, lostPart, now);
            cursor = horizon;
        }
        return switch (planner.next(cursor, span.to(), now)) {
            case ReplayPlanner.Next.Ask(ReplayWindow window) -> submit(gap, window, webhookId, now);
            case ReplayPlanner.Next.Wait wait -> null;
            case ReplayPlanner.Next.Done done -> {
                finish(gap, asked, now);
                yield null;
            }
        };
    }

    private void lost(StoredGap gap, Interval part, Instant now) {
        long seconds = part.length().toSeconds();
        unrecoverable.increment(seconds);
        LOG.warnf(
                "Gap %d: %s to %s is beyond X's replay horizon and lost (%d s)",
                gap.id(), part.from(), part.to(), seconds);
    }

    private List<StoredGap> openGaps() {
        List<StoredGap> open = new ArrayList<>(gaps.inState(GapState.REPLAYING));
        open.addAll(gaps.inState(GapState.WAITING));
        open.sort(Comparator.comparing(g -> g.window().from()));
        return open;
    }

    private Pass submit(StoredGap gap, ReplayWindow window, String webhookId, Instant now) {
        Interval asked = new Interval(window.from(), window.to());
        try {
            ReplayJob job = x.replay(webhookId, window.from(), window.to());
            jobs.submitted(gap.id(), webhookId, job.jobId(), asked, now);
            gaps.update(gap.id(), GapState.REPLAYING, "replay job " + job.jobId() + " for " + window, now);
            LOG.infof(
                    "Replay job %s submitted for %s to %s (gap %d)", job.jobId(), window.from(), window.to(), gap.id());
            return Pass.SUBMITTED;
        } catch (XApiException.Rejected e) {
            if (e.status() == 409) {
                // X still runs a job for this webhook (one we stopped waiting for): the same window, later
                gaps.update(gap.id(), gap.state(), "X is still running a replay job; the window is asked later", now);
                return Pass.DEFERRED;
            }
            if ("CrcValidationFailed".equals(e.reason())) {
                // X marked the webhook invalid: re-validate first, replay on the next pass
                x.validateWebhook(webhookId);
            }
            gaps.update(gap.id(), gap.state(), "X refused the replay: " + e.reason(), now);
            return Pass.DEFERRED;
        } catch (XApiException.RateLimited e) {
            gaps.update(gap.id(), gap.state(), "replay rate limit until " + e.resetAt(), now);
            return Pass.DEFERRED;
        } catch (TimeoutException | ProcessingException e) {
            // The POST is not idempotent and X's answer is lost: the job may exist. Counted as a request, never
            // retried blindly; it waits for a status like any job, then goes unconfirmed.
            jobs.submitted(gap.id(), webhookId, null, asked, now);
            gaps.update(gap.id(), GapState.REPLAYING, "replay of " + window + " possibly submitted (no answer)", now);
            LOG.warnf(
                    "Replay request for %s to %s got no answer: counted as possibly submitted",
                    window.from(), window.to());
            return Pass.SUBMITTED;
        } catch (XApiException | CircuitBreakerOpenException e) {
            gaps.update(gap.id(), gap.state(), "X unavailable, will retry", now);
            return Pass.DEFERRED;
        }
    }

    private void finish(StoredGap gap, List<StoredReplayJob> asked, Instant now) {
        long unconfirmed = asked.stream()
                .map(j -> j.window().from())
                .distinct()
                .filter(from -> asked.stream()
                        .noneMatch(j -> j.window().from().equals(from) && j.state() == ReplayState.COMPLETE))
                .count();
        if (unconfirmed == 0) {
            gaps.update(gap.id(), GapState.RECOVERED, "replayed", now);
        } else {
            gaps.update(
                    gap.id(),
                    GapState.UNCONFIRMED,
                    "every window requested; " + unconfirmed + " without X's confirmation",
                    now);
        }
    }

    private static Instant maxOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
