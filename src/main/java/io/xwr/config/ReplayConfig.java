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
}
