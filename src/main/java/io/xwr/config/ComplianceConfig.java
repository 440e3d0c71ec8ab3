package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** X's data rules: purges of deleted posts and revoking users (within 24 hours), and retention. */
@ConfigMapping(prefix = "xwr.compliance")
public interface ComplianceConfig {

    /** How often the leader carries out purges that are waiting; far inside X's 24 hours. */
    @WithDefault("10s")
    Duration purgeInterval();

    /** Rows emptied (or deleted, for retention) per transaction, so no purge holds locks for long. */
    @WithDefault("5000")
    int batchSize();

    /**
     * How long raw deliveries and events are kept; older ones are deleted. At least 25 h: replays reach 24 h back
     * and their duplicates are recognized by the stored event keys.
     */
    @WithDefault("30d")
    Duration retention();

    /** How often the leader deletes what is past retention. */
    @WithDefault("1h")
    Duration retentionInterval();

    /** X's batch compliance jobs: which stored posts and users X says must go. Off without a bearer token. */
    Batch batch();

    interface Batch {
        /** Whether the job runs (it also needs {@code xwr.x.bearer-token}). */
        @WithDefault("true")
        boolean enabled();

        /** How often the ids stored since the last run are checked: daily keeps every answer inside 24 hours. */
        @WithDefault("24h")
        Duration interval();

        /** How long after start the first pass waits. */
        @WithDefault("30s")
        Duration delay();

        /** How often the leader looks at its jobs (X's status, a run that is due). */
        @WithDefault("1m")
        Duration pass();

        /** Ids per job at X; more ids in a window make more jobs. */
        @WithDefault("100000")
        int maxIds();
    }
}
