package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Connecting X accounts: OAuth 2.0 Authorization Code Flow with PKCE (X's user grant). */
@ConfigMapping(prefix = "xwr.x.oauth")
public interface XOAuthConfig {

    /** The app's OAuth 2.0 client id (X developer portal); without it, accounts cannot be connected. */
    Optional<String> clientId();

    /** Set for a confidential client (Web App, bot): the code exchange and refreshes then use Basic auth. */
    Optional<String> clientSecret();

    /**
     * Where X sends the browser back, exactly as registered in the X app; this service answers on its path
     * (e.g. {@code https://hooks.example.com/oauth/x/callback}).
     */
    Optional<String> redirectUri();

    /**
     * Keys (base64, 256 bits) that encrypt users' tokens at rest, comma-separated, the current one first; older
     * ones still decrypt until every token was refreshed under the new one.
     */
    Optional<List<String>> tokenKey();

    @WithDefault("https://x.com/i/oauth2/authorize")
    String authorizeUrl();

    /** X's token endpoint; by default {@code xwr.x.base-url} + {@code /2/oauth2/token}. */
    Optional<String> tokenUrl();

    /** How long a started connection waits for its callback (state and verifier are single-use). */
    @WithDefault("10m")
    Duration pendingTtl();
}
