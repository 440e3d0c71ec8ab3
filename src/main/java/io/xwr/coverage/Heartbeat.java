package io.xwr.coverage;

import io.quarkus.scheduler.Scheduled;
import io.xwr.config.CoverageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Records, every few seconds, that this replica is up and reaches the database, so it could have answered X
 * with a 200. While the database is down no beat lands, and that silence becomes a gap.
 */
@ApplicationScoped
public class Heartbeat {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    private final CoverageLog coverage;
    private final CoverageConfig config;
    private final Replica replica;
    private final Clock clock;
    private volatile boolean failing;
    private volatile Instant lastRecorded;
    private volatile String lastFailure;

    Heartbeat(CoverageLog coverage, CoverageConfig config, Replica replica, Clock clock) {
        this.coverage = coverage;
        this.config = config;
        this.replica = replica;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-heartbeat",
            every = "${xwr.coverage.heartbeat-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        try {
            Instant now = clock.instant();
            coverage.beat(replica.id(), now, config.tolerance());
            lastRecorded = now;
            lastFailure = null;
            if (failing) {
                LOG.info("Heartbeat recorded again: the database is back");
                failing = false;
            }
        } catch (RuntimeException e) {
            lastFailure = e.getClass().getSimpleName();
            if (!failing) {
                LOG.warnf(
                        "Heartbeat not recorded (%s): this time will be a gap unless another replica covers it",
                        e.getClass().getSimpleName());
                failing = true;
            }
        }
    }

    /** Whether the last beat reached the database (false before the first one). */
    public boolean reachingDatabase() {
        return lastRecorded != null && !failing;
    }

    /** When a beat last landed, or null. */
    public Instant lastRecorded() {
        return lastRecorded;
    }

    /** The exception class of the last failed beat while failing, else null (never a message: it may hold data). */
    public String lastFailure() {
        return failing ? lastFailure : null;
    }
}
