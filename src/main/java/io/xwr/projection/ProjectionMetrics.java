package io.xwr.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.xwr.event.ActivityEvent;
import io.xwr.event.Normalization;
import io.xwr.event.ParseStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Meters of the projection: what it read, what it made of it, and what it set aside. */
@ApplicationScoped
class ProjectionMetrics {
    private final MeterRegistry registry;
    private final Counter projected;
    private final Counter quarantined;
    private final Timer steps;

    ProjectionMetrics(MeterRegistry registry, Projection projection) {
        this.registry = registry;
        Gauge.builder("xwr.projection.behind", projection, ProjectionMetrics::behind)
                .description("Deliveries in the raw log the projection has not read yet (counted up to 100,000)")
                .register(registry);
        this.projected = Counter.builder("xwr.projection.deliveries")
                .description("Deliveries the projection read from the raw log")
                .register(registry);
        this.quarantined = Counter.builder("xwr.projection.quarantined")
                .description("Deliveries set aside in quarantine (admin API: /admin/quarantine)")
                .register(registry);
        this.steps = Timer.builder("xwr.projection.step")
                .description("Time of one projection transaction")
                .register(registry);
    }

    /** Read at each scrape, from the shared database: the same on every replica (aggregate with max). */
    private static double behind(Projection projection) {
        try {
            return projection.behind();
        } catch (RuntimeException e) {
            return Double.NaN; // the database is away: no figure rather than a wrong one
        }
    }

    void projected(Projection.Step step, long nanos) {
        projected.increment(step.read());
        quarantined.increment(step.quarantined());
        if (nanos > 0) {
            steps.record(nanos, TimeUnit.NANOSECONDS);
        }
        for (Recorded recorded : step.recorded()) {
            for (ActivityEvent event : recorded.newEvents()) {
                registry.counter(
                                "xwr.events",
                                "family",
                                event.family().name().toLowerCase(Locale.ROOT),
                                "type",
                                event.type())
                        .increment();
            }
        }
    }

    void quarantined(int deliveries) {
        quarantined.increment(deliveries);
    }

    void understood(Normalization normalization) {
        if (normalization.status() != ParseStatus.PARSED) {
            registry.counter(
                            "xwr.deliveries.not.understood",
                            "status",
                            normalization.status().name().toLowerCase(Locale.ROOT))
                    .increment();
        }
    }
}
