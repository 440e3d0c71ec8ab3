package io.xwr.ingress;

import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.Interval;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Notices a consumer-secret rotation that reached X before it reached us: X signs with the new secret, every
 * delivery fails its signature (401, and X gives up after its retries), and then the new secret is configured.
 * When a secret verifies its first delivery on this replica after mismatches in the preceding 30 minutes, the
 * mismatches' span becomes a {@code SIGNATURE_ROTATION} gap, which the replay leader recovers.
 */
@ApplicationScoped
class RotationWatch {
    static final Duration LOOKBACK = Duration.ofMinutes(30);
    private static final Logger LOG = Logger.getLogger(RotationWatch.class);

    private final GapLog gaps;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    /** The current run of mismatches: its first and newest, or null. */
    private volatile Interval mismatches;

    RotationWatch(GapLog gaps) {
        this.gaps = gaps;
    }

    /** A delivery whose signature matched no configured secret. */
    synchronized void mismatch(Instant at) {
        Interval run = mismatches;
        // a new run after 30 quiet minutes (or a clock set back)
        if (run == null
                || at.isBefore(run.from())
                || Duration.between(run.to(), at).compareTo(LOOKBACK) > 0) {
            mismatches = new Interval(at, at);
        } else if (at.isAfter(run.to())) {
            mismatches = new Interval(run.from(), at);
        }
    }

    /** A delivery verified by the secret with this fingerprint; cheap unless the secret is new here. */
    void verified(String fingerprint, Instant at) {
        if (verified.contains(fingerprint) || !verified.add(fingerprint)) {
            return;
        }
        Interval run = takeRecentMismatches(at);
        if (run == null || run.from().isAfter(at)) {
            return;
        }
        Interval gap = new Interval(run.from(), at);
        LOG.warnf(
                "Secret %s verified its first delivery after signature mismatches from %s: recording a gap to replay",
                fingerprint, run.from());
        // Off the delivery's path: the writer that committed it must not wait on another transaction.
        Thread.ofVirtual().name("xwr-rotation-gap").start(() -> {
            try {
                gaps.record(GapCause.SIGNATURE_ROTATION, null, gap, at);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Rotation gap %s to %s not recorded: %s",
                        gap.from(), gap.to(), e.getClass().getSimpleName());
            }
        });
    }

    private synchronized Interval takeRecentMismatches(Instant at) {
        Interval run = mismatches;
        if (run == null
                || Duration.between(run.to(), at).compareTo(LOOKBACK) > 0
                || run.to().isAfter(at)) {
            return null;
        }
        mismatches = null;
        return run;
    }
}
