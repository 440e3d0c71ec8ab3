package io.xwr.accounts;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.XOAuthConfig;
import io.xwr.xapi.XApiException;
import io.xwr.xapi.XOAuth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps connected accounts' access tokens fresh (X's last 2 hours): ten minutes before one expires, its refresh
 * token (rotated by X) gets a new pair. Every replica may run it: the row lock lets one refresh an account at a
 * time. A refresh X refuses (revoked, expired) marks the account as needing re-authorization, counted and shown;
 * X being away is tried again next pass.
 */
@ApplicationScoped
public class TokenRefresher {
    private static final Logger LOG = Logger.getLogger(TokenRefresher.class);
    static final Duration AHEAD = Duration.ofMinutes(10);

    private final Accounts accounts;
    private final XOAuth oauth;
    private final Optional<TokenCipher> cipher;
    private final MeterRegistry registry;
    private final Clock clock;

    TokenRefresher(Accounts accounts, XOAuth oauth, XOAuthConfig config, MeterRegistry registry, Clock clock) {
        this.accounts = accounts;
        this.oauth = oauth;
        this.cipher = config.tokenKey().filter(k -> !k.isEmpty()).map(TokenCipher::new);
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-token-refresh",
            every = "1m",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            refreshDue(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Token refresh pass failed, retried next pass: %s",
                    e.getClass().getSimpleName());
        }
    }

    /** Refreshes every account due as of {@code now}; answers how many were looked at. */
    public int refreshDue(Instant now) {
        if (cipher.isEmpty()) {
            return 0;
        }
        TokenCipher c = cipher.get();
        int n = 0;
        while (n < 1000 && accounts.refreshOne(now.plus(AHEAD), now, account -> refresh(c, account, now))) {
            n++;
        }
        return n;
    }

    private Object refresh(TokenCipher c, Accounts.Stored account, Instant now) {
        XOAuth.Tokens tokens;
        try {
            tokens = oauth.refresh(c.decrypt(account.refreshToken(), account.userId()));
        } catch (XApiException.Rejected e) {
            registry.counter("xwr.accounts.reauthorization.needed").increment();
            LOG.warnf("X refused to refresh account %s (%s): it needs re-authorization", account.userId(), e.reason());
            return "X refused the refresh (" + e.reason() + "): the user must connect again";
        }
        // X rotates refresh tokens; keep the old one if it ever sends none
        String refresh = tokens.refreshToken() != null
                ? tokens.refreshToken()
                : c.decrypt(account.refreshToken(), account.userId());
        return new Accounts.Refreshed(
                c.encrypt(tokens.accessToken(), account.userId()),
                c.encrypt(refresh, account.userId()),
                c.currentKey(),
                now.plusSeconds(tokens.expiresInSeconds()));
    }
}
