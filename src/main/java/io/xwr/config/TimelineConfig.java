package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The operator page's charts: how often each replica writes its figures of the current minute. */
@ConfigMapping(prefix = "xwr.timeline")
public interface TimelineConfig {
    /** How often the current minute's figures are written (shorter only for tests: a minute is the unit). */
    @WithDefault("60s")
    Duration sampleInterval();

    /** Minutes older than this are deleted: the page shows a day at most. */
    @WithDefault("48h")
    Duration retention();
}
