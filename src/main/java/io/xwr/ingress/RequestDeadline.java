package io.xwr.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.xwr.config.IngressConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A whole request to the webhook, from its headers to the answer, gets {@code xwr.ingress.request-deadline}. The
 * idle timeout alone lets a client that sends one byte every few seconds hold a connection (and a body buffer)
 * for hours; X sends a delivery in milliseconds and waits about 3 s for the answer.
 */
@ApplicationScoped
class RequestDeadline {
    private static final Logger LOG = Logger.getLogger(RequestDeadline.class);

    void install(@Observes Router router, IngressConfig config, MeterRegistry registry) {
        long millis = config.requestDeadline().toMillis();
        if (config.commitWait().compareTo(config.requestDeadline()) >= 0) {
            throw new IllegalStateException("xwr.ingress.commit-wait (" + config.commitWait()
                    + ") must be shorter than xwr.ingress.request-deadline (" + config.requestDeadline()
                    + "): a delivery waiting on a slow database is owed a 503, not a closed connection");
        }
        Counter cut = registry.counter("xwr.requests.cut", "reason", "deadline");
        // Before every other route: the timer starts as soon as the request line and headers are in.
        router.route(WebhookResource.PATH).order(Integer.MIN_VALUE).handler(context -> {
            long timer = context.vertx().setTimer(millis, id -> {
                if (!context.response().ended() && !context.response().closed()) {
                    cut.increment();
                    LOG.debugf("Webhook request over its %d ms deadline: connection closed", millis);
                    context.request().connection().close();
                }
            });
            context.addEndHandler(ignored -> context.vertx().cancelTimer(timer));
            context.next();
        });
    }
}
