package io.xwr.timeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.TimelineConfig;
import io.xwr.coverage.Replica;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The figures behind the operator page's charts. Every replica samples its own meters (the ack timer of accepted
 * deliveries, the events counter, the outbox lag gauge) and writes the current minute's figures; the page reads
 * them over all replicas. Sampling the registry keeps the ack path free of any extra work.
 */
@ApplicationScoped
public class ActivityTimeline {
    private static final Logger LOG = Logger.getLogger(ActivityTimeline.class);

    private final TimelineStore store;
    private final MeterRegistry registry;
    private final Replica replica;
    private final TimelineConfig config;
    private final Clock clock;
    private MinuteFigures current;
    private HistogramSnapshot lastAcks;
    private double lastEvents;

    ActivityTimeline(TimelineStore store, MeterRegistry registry, Replica replica, TimelineConfig config, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.replica = replica;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-timeline",
            every = "${xwr.timeline.sample-interval:60s}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sample(clock.instant());
        } catch (RuntimeException e) {
            // The database being away loses this sample only; the next one carries the counts on.
            LOG.debugf("Timeline sample not written: %s", e.getClass().getSimpleName());
        }
    }

    /** Adds what the meters counted since the last sample to the current minute, and writes that minute. */
    synchronized void sample(Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        if (current == null || !current.minute.equals(minute)) {
            current = new MinuteFigures(minute);
            if (minute.getEpochSecond() % 3600 == 0) {
                store.deleteBefore(now.minus(config.retention()));
            }
        }
        Timer acks =
                registry.find("xwr.delivery.ack").tag("outcome", "accepted").timer();
        HistogramSnapshot snapshot = acks == null ? null : acks.takeSnapshot();
        current.addAcks(lastAcks, snapshot);
        lastAcks = snapshot;
        double events = registry.find("xwr.events").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        current.events += events - lastEvents;
        lastEvents = events;
        Gauge lag = registry.find("xwr.outbox.lag.seconds").gauge();
        if (lag != null) {
            current.lag(lag.value());
        }
        store.write(replica.id(), current);
    }

    /**
     * The last {@code span} before {@code now} in buckets of {@code bucket} (a whole number of minutes): counts
     * summed, latency and lag the worst minute's. Empty buckets are left out.
     */
    public List<Minute> read(Instant now, Duration span, Duration bucket) {
        Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant from = to.minus(span);
        long size = Math.max(1, bucket.toMinutes());
        List<Minute> buckets = new ArrayList<>();
        Minute open = null;
        for (Minute m : store.read(from, to)) {
            long index = Duration.between(from, m.at()).toMinutes() / size;
            Instant start = from.plus(Duration.ofMinutes(index * size));
            if (open != null && open.at().equals(start)) {
                open = new Minute(
                        start,
                        open.deliveries() + m.deliveries(),
                        open.events() + m.events(),
                        max(open.ackP50Ms(), m.ackP50Ms()),
                        max(open.ackP99Ms(), m.ackP99Ms()),
                        max(open.outboxLagSeconds(), m.outboxLagSeconds()));
            } else {
                if (open != null) {
                    buckets.add(open);
                }
                open = new Minute(start, m.deliveries(), m.events(), m.ackP50Ms(), m.ackP99Ms(), m.outboxLagSeconds());
            }
        }
        if (open != null) {
            buckets.add(open);
        }
        return buckets;
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }
}
