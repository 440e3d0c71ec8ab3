package io.xwr.coverage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The database as a readiness detail, never a reason to leave the Service. A pod that cannot reach PostgreSQL
 * still answers X's CRCs from memory and answers deliveries 503 so X retries them; taken out of rotation, it
 * would fail X's CRCs instead, and X disables a webhook whose CRC fails. Read from the heartbeat, so the probe
 * itself never waits on the database.
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    private final Heartbeat heartbeat;

    StorageReadiness(Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("database")
                .up()
                .withData("reachable", heartbeat.reachingDatabase())
                .withData(
                        "lastHeartbeat",
                        heartbeat.lastRecorded() == null
                                ? "none yet"
                                : heartbeat.lastRecorded().toString());
        if (heartbeat.lastFailure() != null) {
            response.withData("failure", heartbeat.lastFailure());
        }
        return response.build();
    }
}
