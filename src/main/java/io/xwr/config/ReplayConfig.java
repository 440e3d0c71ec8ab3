package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Recovering gaps through X's replay API. */
@ConfigMapping(prefix = "xwr.replay")
public interface ReplayConfig {

    /** Gaps are replayed automatically when this is true and X's bearer token is configured. */
    @WithDefault("true")
    boolean enabled();

    /** The webhook to replay to; else the registered webhook whose URL is {@code xwr.replay.webhook-url}. */
    Optional<String> webhookId();

    /** This service's public webhook URL as registered with X. */
    Optional<String> webhookUrl();

    /**
     * At start-up and every ten minutes, make sure {@link #webhookUrl()} is registered with X and valid
     * (registering or re-validating it). Idempotent, and done by one replica at a time.
     */
    @WithDefault("false")
    boolean ensureWebhook();

    /** Extra time asked for on each side of a gap (clock skew, deliveries in flight). */
    @WithDefault("2m")
    Duration margin();

    /** A job with no {@code replay_job_status} after this long is asked for again. */
    @WithDefault("30m")
    Duration completionTimeout();

    /** How often the leader looks for replay work. */
    @WithDefault("30s")
    Duration interval();

    /**
     * The windows X accepts (spec 5.6; for {@code POST /2/webhooks/replay} only "probably" the same, spec 8.6): as
     * documented unless X is seen to answer otherwise.
     */
    Window window();

    /** X's rules for one replay job's window. */
    interface Window {
        /** The window must start at least this long ago. */
        @WithDefault("31m")
        Duration startAge();

        /** The window must end at least this long ago (X can replay an event about 10 minutes after it). */
        @WithDefault("10m")
        Duration endAge();

        /** Longest window asked in one job; longer gaps become several jobs, one after the other. */
        @WithDefault("2h")
        Duration maxSpan();
    }
}
