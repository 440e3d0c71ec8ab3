package io.xwr.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ComplianceConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.event.Erasure;
import io.xwr.xapi.ComplianceJob;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * X's batch compliance (spec: accounts and compliance, 3): webhooks announce deletions of subscribed users' posts
 * and revocations, but not other authors' posts stored inside deliveries (quoted, reposted, matched), nor
 * suspensions and protections. Once per {@code xwr.compliance.batch.interval} the leader sends X the post and user
 * ids stored since the last run, waits for X's answer over the following passes, and purges what X marks (a
 * post's geo data only for {@code scrub_geo}) through the ordinary purges, within a pass of the answer. Each job is
 * audited: window, ids checked, X's state, actions by reason. A job X fails (or whose upload failed) is asked again
 * for the same window. Off without a bearer token.
 */
@Startup
@ApplicationScoped
public class BatchCompliance {
    private static final Logger LOG = Logger.getLogger(BatchCompliance.class);
    static final String LEASE = "batch-compliance";

    /** What one pass did (tests drive passes with their own clock). */
    public enum Pass {
        OFF,
        NOT_LEADER,
        /** Jobs were asked for, answered, or asked again. */
        WORKED,
        IDLE
    }

    private final ComplianceJobs jobs;
    private final Purges purges;
    private final XApi x;
    private final LeaderJob leader;
    private final ComplianceConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    BatchCompliance(
            ComplianceJobs jobs,
            Purges purges,
            XApi x,
            LeaderJobs leaders,
            ComplianceConfig config,
            MeterRegistry registry,
            Clock clock) {
        this.jobs = jobs;
        this.purges = purges;
        this.x = x;
        this.leader = leaders.job(LEASE, config.batch().pass().multipliedBy(3));
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-batch-compliance",
            every = "${xwr.compliance.batch.pass:1m}",
            delayed = "${xwr.compliance.batch.delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run(clock.instant());
        } catch (RuntimeException e) {
            // X away, rate limited, or the database: the jobs stand where they were; the next pass goes on.
            LOG.warnf(
                    "Batch compliance pass failed, retried next pass: %s",
                    e.getClass().getSimpleName());
        }
    }

    /** Answers what X has answered, asks again what X failed, and starts the run that is due. */
    public Pass run(Instant when) {
        // Windows are stored to the microsecond (PostgreSQL rounds finer times): the next window starts exactly there.
        Instant now = when.truncatedTo(ChronoUnit.MICROS);
        if (!config.batch().enabled() || !x.configured()) {
            return Pass.OFF;
        }
        if (!leader.leads(now)) {
            return Pass.NOT_LEADER;
        }
        boolean worked = false;
        for (ComplianceJobs.Waiting waiting : jobs.waiting()) {
            worked |= settle(waiting, now);
        }
        for (StoredComplianceJob failed : jobs.failed()) {
            ask(failed.type(), failed.windowFrom(), failed.windowTo(), now);
            jobs.update(failed.id(), "REPLACED", failed.xStatus(), null, null, "asked again", now);
            worked = true;
        }
        for (String type : List.of(ComplianceJobs.POSTS, ComplianceJobs.USERS)) {
            // The first run checks everything stored (retention bounds it); each later one what came since.
            Instant from = jobs.lastWindowEnd(type).orElse(now.minus(config.retention()));
            if (!now.isBefore(from.plus(config.batch().interval()))) {
                ask(type, from, now, now);
                worked = true;
            }
        }
        return worked ? Pass.WORKED : Pass.IDLE;
    }

    /** Sends the window's ids to X, one job per {@code max-ids}; a window with none is recorded as checked. */
    private void ask(String type, Instant from, Instant to, Instant now) {
        List<String> ids = jobs.idsIn(type, from, to);
        if (ids.isEmpty()) {
            jobs.record(type, null, "DONE", from, to, 0, null, null, "nothing stored in the window", now);
            return;
        }
        int max = Math.max(1, config.batch().maxIds());
        for (int start = 0; start < ids.size(); start += max) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + max));
            ComplianceJob job = x.createComplianceJob(type, "xwr " + type + " " + from + ".." + to);
            try {
                x.uploadComplianceIds(job, chunk);
            } catch (XApiException e) {
                // The job exists at X but has no ids: recorded as failed, asked again next pass.
                jobs.record(
                        type,
                        job.id(),
                        "FAILED",
                        from,
                        to,
                        chunk.size(),
                        null,
                        job.status(),
                        "upload refused: " + e.status(),
                        now);
                registry.counter("xwr.compliance.jobs", "type", type, "state", "failed")
                        .increment();
                continue;
            }
            jobs.record(type, job.id(), "WAITING", from, to, chunk.size(), job.downloadUrl(), job.status(), null, now);
            registry.counter("xwr.compliance.jobs", "type", type, "state", "asked")
                    .increment();
            LOG.infof(
                    "Batch compliance job %s asked about %d %s stored from %s to %s",
                    job.id(), chunk.size(), type, from, to);
        }
    }

    /** Reads X's answer of a finished job and purges what it names; true when the job moved on. */
    private boolean settle(ComplianceJobs.Waiting waiting, Instant now) {
        StoredComplianceJob stored = waiting.job();
        ComplianceJob job = x.complianceJob(stored.xJobId());
        if (job.failed()) {
            jobs.update(stored.id(), "FAILED", job.status(), null, null, "X's job " + job.status(), now);
            registry.counter("xwr.compliance.jobs", "type", stored.type(), "state", "failed")
                    .increment();
            return true;
        }
        if (!job.complete()) {
            return false;
        }
        // X's job names its download URL from the start; the stored one is used (the answer may omit it later).
        String url = waiting.downloadUrl() != null ? waiting.downloadUrl() : job.downloadUrl();
        List<JsonNode> answer = x.complianceResults(
                new ComplianceJob(job.id(), job.type(), job.status(), null, url, job.downloadExpiresAt()));
        Map<String, Integer> byReason = new TreeMap<>();
        int taken = 0;
        for (JsonNode line : answer) {
            String id = line.path("id").asText("");
            if (!id.matches("[0-9]{1,19}")) {
                continue;
            }
            String reason = reasonOf(line);
            Erasure.Kind kind = stored.type().equals(ComplianceJobs.USERS)
                    ? Erasure.Kind.USER
                    : reason.equals("scrub_geo") ? Erasure.Kind.GEO : Erasure.Kind.POST;
            purges.request(
                    new Erasure(kind, id),
                    PurgeReason.X_COMPLIANCE,
                    "X batch compliance job " + job.id() + ": " + reason,
                    now);
            byReason.merge(reason, 1, Integer::sum);
            registry.counter("xwr.compliance.actions", "type", stored.type(), "reason", reason)
                    .increment();
            taken++;
        }
        String actions = byReason.isEmpty() ? "none" : byReason.toString().replaceAll("[{}]", "");
        jobs.update(stored.id(), "DONE", job.status(), taken, actions, null, now);
        registry.counter("xwr.compliance.jobs", "type", stored.type(), "state", "done")
                .increment();
        LOG.infof(
                "Batch compliance job %s answered: %d of %d ids need action (%s)",
                job.id(), taken, stored.idsChecked(), actions);
        return true;
    }

    /**
     * X's reason ({@code deleted}, {@code suspended}, {@code scrub_geo}...), else its action; lower case, letters
     * and underscores only (it becomes a metric tag). An action of {@code scrub_geo} wins whatever the reason.
     */
    private static String reasonOf(JsonNode line) {
        String action = clean(line.path("action").asText(""));
        String reason = clean(line.path("reason").asText(""));
        if (action.equals("scrub_geo") || reason.isEmpty()) {
            return action.isEmpty() ? "delete" : action;
        }
        return reason;
    }

    private static String clean(String value) {
        String cleaned = value.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z_]", "");
        return cleaned.length() > 32 ? cleaned.substring(0, 32) : cleaned;
    }
}
