package io.xwr.accounts;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xwr.config.XOAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * Serves X's OAuth callback on the path of {@code xwr.x.oauth.redirect-uri} (whatever the operator registered in
 * the X app). The browser lands here; the answer is plain text, says what was connected, and never echoes what
 * the request carried.
 */
@ApplicationScoped
public class OAuthCallback {
    private static final Logger LOG = Logger.getLogger(OAuthCallback.class);

    private final Onboarding onboarding;
    private final XOAuthConfig config;

    OAuthCallback(Onboarding onboarding, XOAuthConfig config) {
        this.onboarding = onboarding;
        this.config = config;
    }

    void route(@Observes Router router) {
        config.redirectUri()
                .map(URI::create)
                .map(URI::getPath)
                .filter(p -> p.startsWith("/"))
                .ifPresent(path -> {
                    if (path.equals("/webhooks/x") || path.startsWith("/admin")) {
                        throw new IllegalArgumentException(
                                "xwr.x.oauth.redirect-uri must not be the webhook or admin path");
                    }
                    router.get(path).blockingHandler(this::callback, false);
                });
    }

    private void callback(RoutingContext ctx) {
        String error = ctx.request().getParam("error");
        if (error != null) {
            answer(
                    ctx,
                    400,
                    "X did not authorize the app (the user declined, or X refused). Start again from the"
                            + " operator page.");
            return;
        }
        try {
            Onboarding.Connected connected = onboarding.complete(
                    ctx.request().getParam("state"), ctx.request().getParam("code"));
            answer(
                    ctx,
                    200,
                    "Connected X account " + connected.userId() + ". Subscribed: "
                            + String.join(", ", connected.subscribed())
                            + (connected.refused().isEmpty()
                                    ? "."
                                    : ". Refused by X: " + String.join(", ", connected.refused()) + "."));
        } catch (Onboarding.Refused e) {
            answer(ctx, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("OAuth callback failed: %s", e.getClass().getSimpleName());
            answer(ctx, 502, "Connecting the account failed; start again from the operator page.");
        }
    }

    private static void answer(RoutingContext ctx, int status, String text) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(text);
    }
}
