package io.xwr.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.xwr.store.OutboxStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What operators see of the outbox: gauges of rows waiting, rows parked and the age of the oldest, from the
 * figures the relay refreshes.
 */
@ApplicationScoped
public class OutboxMonitor {
    private final AtomicReference<OutboxStats> latest = new AtomicReference<>(new OutboxStats(0, 0, null));
    private final Clock clock;
    private volatile String relayState = "starting";

    OutboxMonitor(MeterRegistry registry, Clock clock) {
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

    void update(OutboxStats stats) {
        latest.set(stats);
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
