package io.xwr.compliance;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ComplianceConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.rawlog.Partitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Deletes raw deliveries and events older than {@code xwr.compliance.retention}, on one replica. */
@Startup
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    static final String LEASE = "retention";
    /** X replays up to 24 h back; their duplicates must still meet the stored event keys. */
    static final Duration MINIMUM = Duration.ofHours(25);

    private final Retention retention;
    private final Partitions partitions;
    private final LeaderJob leader;
    private final ComplianceConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    RetentionJob(
            Retention retention,
            Partitions partitions,
            LeaderJobs leaders,
            ComplianceConfig config,
            MeterRegistry registry,
            Clock clock) {
        if (config.retention().compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("xwr.compliance.retention must be at least 25h (X replays reach 24 h"
                    + " back), not " + config.retention());
        }
        this.retention = retention;
        this.partitions = partitions;
        this.leader = leaders.job(LEASE, config.retentionInterval().multipliedBy(2));
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-retention",
            every = "${xwr.compliance.retention-interval:1h}",
            delayed = "${xwr.compliance.retention-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Retention pass failed, retried next pass: %s", e.getClass().getSimpleName());
        }
    }

    /** Deletes what is past retention if this replica leads; null when another replica leads. */
    public Retention.Removed run() {
        Instant now = clock.instant();
        if (!leader.leads(now)) {
            return null;
        }
        partitions.ensureAhead(); // the week ahead, on the same lease and schedule
        Retention.Removed removed = retention.removeBefore(now.minus(config.retention()), config.batchSize());
        registry.counter("xwr.retention.deleted", "table", "activity_event").increment(removed.events());
        registry.counter("xwr.retention.deleted", "table", "raw_delivery").increment(removed.deliveries());
        registry.counter("xwr.retention.deleted", "table", "outbox").increment(removed.parked());
        registry.counter("xwr.retention.days.dropped").increment(removed.days().size());
        if (removed.events() + removed.deliveries() + removed.days().size() + removed.parked() > 0) {
            LOG.infof(
                    "Retention: deleted %d events, %d deliveries and %d parked outbox rows, dropped %d days of the"
                            + " raw log, older than %s",
                    removed.events(),
                    removed.deliveries(),
                    removed.parked(),
                    removed.days().size(),
                    config.retention());
        }
        return removed;
    }
}
