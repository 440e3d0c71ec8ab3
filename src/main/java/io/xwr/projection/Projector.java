package io.xwr.projection;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.xwr.config.ProjectionConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.Family;
import io.xwr.event.Normalization;
import io.xwr.event.ParseStatus;
import io.xwr.rawlog.LogBarrier;
import io.xwr.rawlog.LogSignal;
import io.xwr.store.Unreachable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Reads the raw log behind the ack path, on the replica holding the {@code projection} lease: normalizes each
 * delivery and records its events, purges and outbox rows, in log order and in batches. A commit on this replica
 * wakes it; otherwise it looks every poll interval. A delivery it cannot handle is quarantined, never retried in
 * the log's way; the database being away only pauses it.
 */
@ApplicationScoped
public class Projector {
    static final String LEASE = "projection";
    private static final Logger LOG = Logger.getLogger(Projector.class);

    private final Projection projection;
    private final Reprojections reprojections;
    private final LogBarrier barrier;
    private final LogSignal signal;
    private final DeliveryNormalizer normalizer;
    private final LeaderJob leader;
    private final ProjectionConfig config;
    private final ProjectionMetrics metrics;
    private final Clock clock;
    /** One pass at a time in this process: the loop's, or a caller's {@link #catchUp()}. */
    private final ReentrantLock passes = new ReentrantLock();

    private volatile boolean running;
    private Thread thread;

    Projector(
            Projection projection,
            Reprojections reprojections,
            LogBarrier barrier,
            LogSignal signal,
            DeliveryNormalizer normalizer,
            LeaderJobs leaders,
            ProjectionConfig config,
            ProjectionMetrics metrics,
            Clock clock) {
        this.projection = projection;
        this.reprojections = reprojections;
        this.barrier = barrier;
        this.signal = signal;
        this.normalizer = normalizer;
        this.leader = leaders.job(LEASE, leaseTtl(config));
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Projection is off on this replica (xwr.projection.enabled=false)");
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("xwr-projection").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
            leader.stepDown();
        }
    }

    private void loop() {
        int failures = 0;
        long seen = signal.appends();
        while (running) {
            try {
                Pass pass = catchUp();
                failures = 0;
                if (pass == Pass.CAUGHT_UP || pass == Pass.NOT_LEADER) {
                    seen = signal.awaitAfter(seen, config.pollInterval());
                    // The commits of the next moment join this pass: one barrier for them all, not one each.
                    Thread.sleep(config.coalesce().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // The database away, typically; the thread must outlive it, or the log would grow unread.
                failures++;
                if (failures == 1 || failures % 50 == 0) {
                    LOG.warnf("Projection paused: %s", Unreachable.describe(e));
                }
                try {
                    Thread.sleep(Math.min(5_000, 100L << Math.min(failures, 6)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** What a pass did. */
    public enum Pass {
        NOT_LEADER,
        CAUGHT_UP,
        MORE
    }

    /**
     * Projects everything final in the log now, if this replica leads, then a step of a requested re-projection.
     */
    public Pass catchUp() {
        passes.lock();
        try {
            if (!leader.leads(clock.instant())) {
                return Pass.NOT_LEADER;
            }
            long horizon = barrier.horizon(config.barrierTimeout().toMillis());
            long started = System.nanoTime();
            while (true) {
                Projection.Step step;
                try {
                    step = projection.next(
                            horizon, config.batchSize(), config.batchBytes().asLongValue(), this::meaning);
                } catch (RuntimeException | Error e) {
                    if (Unreachable.is(e)) {
                        throw e;
                    }
                    stepOneByOne(horizon, e);
                    continue;
                }
                metrics.projected(step, System.nanoTime() - started);
                started = System.nanoTime();
                if (step.caughtUp()) {
                    return reproject() ? Pass.MORE : Pass.CAUGHT_UP;
                }
                if (!running && Thread.currentThread() == thread) {
                    return Pass.MORE; // shutting down: the next leader goes on from the position
                }
                if (!leader.leads(clock.instant())) {
                    return Pass.NOT_LEADER;
                }
            }
        } finally {
            passes.unlock();
        }
    }

    /**
     * A batch the database refused (a value it will not store, say): the deliveries one by one, so that only the
     * one at fault is quarantined.
     */
    private void stepOneByOne(long horizon, Throwable batchFailure) {
        for (int i = 0; i < config.batchSize(); i++) {
            try {
                Projection.Step step =
                        projection.next(horizon, 1, config.batchBytes().asLongValue(), this::meaning);
                metrics.projected(step, 0);
                if (step.caughtUp()) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                if (Unreachable.is(e)) {
                    throw e;
                }
                Optional<Long> quarantined =
                        projection.quarantineNext(horizon, "not storable: " + Unreachable.describe(e));
                quarantined.ifPresent(id -> {
                    metrics.quarantined(1);
                    LOG.warnf(
                            "Delivery %d quarantined: the database refused its events (%s)",
                            id, Unreachable.describe(e));
                });
                return;
            }
        }
        LOG.debugf("Projected one by one after a refused batch: %s", Unreachable.describe(batchFailure));
    }

    /** What a delivery means; a purged one carries nothing, one the normalizer chokes on is refused. */
    Projection.Meaning meaning(Projection.Logged logged) {
        if (logged.purged()) {
            return new Projection.Meaning.Understood(
                    new Normalization(ParseStatus.PARSED, Family.UNKNOWN, List.of(), null));
        }
        try {
            Normalization normalization = normalizer.normalize(logged.body());
            metrics.understood(normalization);
            if (normalization.status() == ParseStatus.UNPARSEABLE) {
                // Kept as X sent it, set aside with the reason; a later normalizer may read it (re-projection).
                return new Projection.Meaning.Refused(normalization.problem());
            }
            return new Projection.Meaning.Understood(normalization);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warnf(
                    "Delivery %d quarantined: the normalizer failed (%s)",
                    logged.id(), e.getClass().getSimpleName());
            return new Projection.Meaning.Refused(
                    "normalizer failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * With the log read, a step of a requested re-projection (a time range normalized again); true when more of
     * it can run now. A failure other than the database being away is logged and tried again next pass.
     */
    private boolean reproject() {
        try {
            return reprojections.step(config.batchSize(), this::meaning);
        } catch (RuntimeException e) {
            if (Unreachable.is(e)) {
                throw e;
            }
            LOG.warnf("Re-projection step failed, tried again next pass: %s", Unreachable.describe(e));
            return false;
        }
    }

    /** Projects one stored delivery again (a quarantined one); empty when there is no such delivery. */
    public Optional<Projection.Step> reproject(long deliveryId) {
        return projection.reproject(deliveryId, this::meaning);
    }

    private static Duration leaseTtl(ProjectionConfig config) {
        Duration ttl = config.pollInterval().multipliedBy(20);
        return ttl.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : ttl;
    }
}
