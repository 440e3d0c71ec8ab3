package io.xwr.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * What operators see of the outbox: gauges of rows waiting, rows parked and the age of the oldest, from the
 * figures it refreshes every two seconds.
 */
@ApplicationScoped
public class OutboxMonitor {
    private static final Logger LOG = Logger.getLogger(OutboxMonitor.class);
    private final AtomicReference<OutboxStats> latest = new AtomicReference<>(new OutboxStats(0, 0, null));
    private final Outbox outbox;
    private final Clock clock;
    private volatile String relayState = "starting";

    OutboxMonitor(Outbox outbox, MeterRegistry registry, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
        Gauge.builder("xwr.outbox.pending", latest, s -> s.get().pending())
                .description("Outbox rows waiting for Kafka")
                .register(registry);
        Gauge.builder("xwr.outbox.parked", latest, s -> s.get().parked())
                .description("Outbox rows parked after repeated non-retriable failures")
                .register(registry);
        Gauge.builder("xwr.outbox.lag.seconds", latest, s -> lagSeconds())
                .description("Age of the oldest outbox row waiting for Kafka")
                .register(registry);
    }

    /**
     * Re-reads the figures on a schedule of its own, not from the relay's loop: a relay stuck on Kafka must
     * still show its lag growing.
     */
    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            latest.set(outbox.stats());
        } catch (RuntimeException e) {
            // The database being away: keep the last figures; readiness reports the database itself.
            LOG.debugf("Outbox figures not refreshed: %s", e.getClass().getSimpleName());
        }
    }

    void relayState(String state) {
        relayState = state;
    }

    String relayState() {
        return relayState;
    }

    OutboxStats latest() {
        return latest.get();
    }

    double lagSeconds() {
        OutboxStats stats = latest.get();
        return stats.oldestPending() == null
                ? 0
                : Math.max(
                        0,
                        Duration.between(stats.oldestPending(), clock.instant()).toMillis() / 1000.0);
    }
}
