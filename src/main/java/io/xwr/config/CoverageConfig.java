package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Recording when this service could accept deliveries, and finding the gaps. */
@ConfigMapping(prefix = "xwr.coverage")
public interface CoverageConfig {

    /** How often each replica records that it is alive and reaches the database. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * Silence shorter than this is no gap (a missed beat or two; X also retries a delivery for about five
     * minutes). Must be well above the heartbeat interval.
     */
    @WithDefault("30s")
    Duration tolerance();

    /** How often the leader looks for gaps. */
    @WithDefault("30s")
    Duration scanInterval();

    /** This replica's name in coverage and leases; defaults to the host name (the pod name) and a suffix. */
    Optional<String> replicaId();
}
