package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Group commit: concurrent deliveries share one database transaction, so throughput is bound by commits. */
@ConfigMapping(prefix = "xwr.store.group-commit")
public interface GroupCommitConfig {

    /** Off: every delivery commits alone (one fsync each). */
    @WithDefault("true")
    boolean enabled();

    /** Most deliveries in one transaction. */
    @WithDefault("64")
    int maxBatch();

    /**
     * How long a writer waits for more deliveries once it has found company (under load); a lone delivery never
     * waits. Bounds the latency batching adds.
     */
    @WithDefault("2ms")
    Duration maxWait();

    /**
     * Most deliveries waiting for a writer; beyond it a delivery is refused at once with 503 (X retries) rather
     * than held past X's timeout while the database is behind.
     */
    @WithDefault("4096")
    int maxQueued();

    /** Writer threads: while one commits, the next batch fills and the other writes it. */
    @WithDefault("2")
    int writers();
}
