package io.xwr.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outbox as a readiness detail. Lag never fails readiness: the database is the source of truth, and a
 * replica that cannot reach Kafka must still accept deliveries.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {
    private final OutboxMonitor monitor;

    OutboxReadiness(OutboxMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxStats stats = monitor.latest();
        return HealthCheckResponse.named("outbox")
                .up()
                .withData("relay", monitor.relayState())
                .withData("pending", stats.pending())
                .withData("parked", stats.parked())
                .withData("lagSeconds", (long) monitor.lagSeconds())
                .build();
    }
}
