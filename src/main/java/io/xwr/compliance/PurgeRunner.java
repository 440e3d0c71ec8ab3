package io.xwr.compliance;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ComplianceConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.event.Erasure;
import io.xwr.xapi.XApi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out waiting purges on the replica that holds the {@code purge} lease. A purge is asked for in the
 * transaction of the delivery that announced it (or by an operator), so none is lost to a crash; running one
 * twice changes nothing.
 */
@ApplicationScoped
public class PurgeRunner {
    private static final Logger LOG = Logger.getLogger(PurgeRunner.class);
    static final String LEASE = "purge";

    private final Purges purges;
    private final XApi x;
    private final LeaderJob leader;
    private final ComplianceConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    PurgeRunner(
            Purges purges, XApi x, LeaderJobs leaders, ComplianceConfig config, MeterRegistry registry, Clock clock) {
        this.purges = purges;
        this.x = x;
        this.leader = leaders.job(LEASE, config.purgeInterval().multipliedBy(6));
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-purge",
            every = "${xwr.compliance.purge-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runPending();
        } catch (RuntimeException e) {
            LOG.warnf("Purge pass failed, retried next pass: %s", e.getClass().getSimpleName());
        }
    }

    /** Runs every waiting purge if this replica leads; returns how many ran (-1 when another replica leads). */
    public int runPending() {
        Instant now = clock.instant();
        if (!leader.leads(now)) {
            return -1;
        }
        List<StoredPurge> waiting = purges.pending(100);
        for (StoredPurge purge : waiting) {
            StoredPurge done = purges.execute(purge, config.batchSize(), clock.instant());
            registry.counter("xwr.purges", "reason", done.reason().name().toLowerCase())
                    .increment();
            registry.counter("xwr.purged.rows", "table", "activity_event").increment(done.eventsPurged());
            registry.counter("xwr.purged.rows", "table", "raw_delivery").increment(done.deliveriesPurged());
            registry.counter("xwr.purged.rows", "table", "outbox").increment(done.outboxPurged());
            LOG.infof(
                    "Purge %d done (%s %s, %s): %d events, %d deliveries, %d outbox rows emptied",
                    done.id(),
                    done.kind(),
                    done.subjectId(),
                    done.reason(),
                    done.eventsPurged(),
                    done.deliveriesPurged(),
                    done.outboxPurged());
            if (done.kind() == Erasure.Kind.USER && done.reason() == PurgeReason.APP_REVOKED) {
                unsubscribe(done.subjectId());
            }
        }
        return waiting.size();
    }

    /**
     * A revoking user's X Activity subscriptions are deleted at X too (X may have dropped them already). Best effort:
     * X being away leaves them to X, and never holds up the purge.
     */
    private void unsubscribe(String user) {
        if (!x.configured()) {
            return;
        }
        try {
            x.deleteActivitySubscriptionsOf(user);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not delete the revoking user %s's subscriptions at X: %s",
                    user, e.getClass().getSimpleName());
        }
    }
}
