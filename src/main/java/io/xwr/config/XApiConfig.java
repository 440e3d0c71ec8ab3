package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Calling X's API: webhook management, replay and subscriptions. */
@ConfigMapping(prefix = "xwr.x")
public interface XApiConfig {

    /** X's API root; the tests point it at their X simulator. */
    @WithDefault("https://api.x.com")
    String baseUrl();

    /** The app-only bearer token (from the environment: XWR_X_BEARER_TOKEN). Without it, X is never called. */
    Optional<String> bearerToken();

    /** Which replay API recovers gaps: the current one, or the deprecated Account Activity one. */
    @WithDefault("webhooks")
    ReplayApi replayApi();

    /** Replay submissions X allows per window (100 per 15 minutes for POST /2/webhooks/replay). */
    @WithDefault("100")
    int replayBudget();

    @WithDefault("15m")
    Duration replayBudgetWindow();

    enum ReplayApi {
        /** {@code POST /2/webhooks/replay}. */
        WEBHOOKS,
        /** {@code POST /2/account_activity/replay/webhooks/:id/subscriptions/all} (deprecated by X). */
        ACCOUNT_ACTIVITY
    }
}
