package io.xwr.coverage;

import io.quarkus.scheduler.Scheduled;
import io.xwr.config.CoverageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * On the replica holding the {@code gap-scan} lease: finds the windows of the last 24 hours that no replica
 * covered (all down, database down, the downtime before this start) and records them as gaps.
 */
@ApplicationScoped
public class GapScanner {
    static final String LEASE = "gap-scan";
    /** X replays at most 24 hours back: older holes cannot be recovered and are not recorded. */
    static final Duration REACH = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(GapScanner.class);

    private final CoverageLog coverage;
    private final GapLog gaps;
    private final LeaderJob leader;
    private final CoverageConfig config;
    private final Clock clock;

    GapScanner(CoverageLog coverage, GapLog gaps, LeaderJobs leaders, CoverageConfig config, Clock clock) {
        this.coverage = coverage;
        this.gaps = gaps;
        this.leader = leaders.job(LEASE, config.scanInterval().multipliedBy(3));
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-gap-scan",
            every = "${xwr.coverage.scan-interval:30s}",
            delayed = "${xwr.coverage.scan-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warnf("Gap scan failed: %s", e.getClass().getSimpleName());
        }
    }

    /** Records new gaps if this replica leads; returns how many were new (-1 when another replica leads). */
    public int scan() {
        Instant now = clock.instant();
        if (!leader.leads(now)) {
            return -1;
        }
        Instant first = coverage.firstCovered();
        if (first == null) {
            return 0;
        }
        Instant from = first.isAfter(now.minus(REACH)) ? first : now.minus(REACH);
        Instant to = now;
        if (!to.isAfter(from)) {
            return 0;
        }
        List<Interval> holes = Holes.in(new Interval(from, to), coverage.coveredSince(from), config.tolerance());
        int recorded = 0;
        for (Interval hole : holes) {
            if (hole.to().equals(to)) {
                continue; // still open (no beat since): recorded once a beat ends it, with its true end
            }
            if (gaps.record(GapCause.DOWNTIME, null, hole, now)) {
                recorded++;
                LOG.warnf(
                        "Gap found: no replica could accept deliveries from %s to %s (%s)",
                        hole.from(), hole.to(), hole.length());
            }
        }
        coverage.prune(now.minus(REACH.multipliedBy(2)));
        return recorded;
    }
}
