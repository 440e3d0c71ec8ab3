package io.xwr.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Meters of the webhook endpoint; names follow Prometheus conventions once exported. */
@ApplicationScoped
@Startup
class IngressMetrics {
    private final MeterRegistry registry;
    /** Built once per outcome: answered() is on every delivery's path. */
    private final Map<String, Timer> ackTimers = new ConcurrentHashMap<>();

    IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every outcome exported from start-up at 0, so rate() and the 503 alert see the first one
        outcome("accepted");
        outcome("unavailable");
        for (DeliveryOutcome.Rejection rejection : DeliveryOutcome.Rejection.values()) {
            outcome(rejection.slug);
        }
    }

    void crcAnswered(String outcome) {
        registry.counter("xwr.crc.answers", "outcome", outcome).increment();
    }

    /** Time from the request reaching the resource to the answer X gets: X waits about 3 s. */
    void answered(String outcome, long nanos) {
        ackTimers.computeIfAbsent(outcome, this::ackTimer).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer ackTimer(String outcome) {
        return Timer.builder("xwr.delivery.ack")
                .description("Time to answer a delivery, by outcome (200 only after the commit)")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void accepted(String secretFingerprint) {
        outcome("accepted").increment();
        registry.counter("xwr.deliveries.by.secret", "secret", secretFingerprint)
                .increment();
    }

    void rejected(DeliveryOutcome.Rejection rejection) {
        outcome(rejection.slug).increment();
        if (rejection.status == 401) {
            registry.counter("xwr.signature.failures", "reason", rejection.slug).increment();
        }
    }

    void unavailable() {
        outcome("unavailable").increment();
    }

    private Counter outcome(String outcome) {
        return registry.counter("xwr.deliveries", "outcome", outcome);
    }
}
