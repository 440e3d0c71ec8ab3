package io.xwr.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.xwr.event.Normalization;
import io.xwr.event.ParseStatus;
import jakarta.enterprise.context.ApplicationScoped;

/** Counters of the webhook endpoint; names follow Prometheus conventions once exported. */
@ApplicationScoped
class IngressMetrics {
    private final MeterRegistry registry;

    IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void crcAnswered(String outcome) {
        registry.counter("xwr.crc.answers", "outcome", outcome).increment();
    }

    void accepted(Normalization normalization, String secretFingerprint, int newEvents) {
        outcome("accepted").increment();
        registry.counter("xwr.deliveries.by.secret", "secret", secretFingerprint)
                .increment();
        registry.counter("xwr.events.new").increment(newEvents);
        if (normalization.status() != ParseStatus.PARSED) {
            registry.counter(
                            "xwr.deliveries.not.understood",
                            "status",
                            normalization.status().name().toLowerCase())
                    .increment();
        }
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
