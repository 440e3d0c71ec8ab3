package io.xwr.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The projection behind the raw log: deliveries into events, purges and outbox rows. */
@ConfigMapping(prefix = "xwr.projection")
public interface ProjectionConfig {

    /** Off on replicas that should only take deliveries; one replica at a time projects anyway. */
    @WithDefault("true")
    boolean enabled();

    /** Deliveries per projection transaction. */
    @WithDefault("256")
    @Min(1)
    @Max(10_000)
    int batchSize();

    /** Body bytes per projection transaction, past its first delivery: large deliveries cannot take the heap. */
    @WithDefault("4M")
    MemorySize batchBytes();

    /**
     * How often a projecting replica looks at the log when nothing woke it: a delivery taken by this replica wakes
     * it at once, one taken by another replica is seen at the next look.
     */
    @WithDefault("100ms")
    Duration pollInterval();

    /**
     * Woken by a commit, the projection waits this long more, so the commits of that moment share one pass (and one
     * moment of the barrier, which holds appends back for about a commit).
     */
    @WithDefault("5ms")
    Duration coalesce();

    /** Longest the projection waits for appends in flight before it reads the log (they take milliseconds). */
    @WithDefault("2s")
    Duration barrierTimeout();
}
