package io.xwr.replay;

import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.xapi.Webhook;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps this service's URL registered with X and valid, when asked to ({@code xwr.replay.ensure-webhook}). Runs
 * shortly after start-up (X's registration CRC needs the endpoint up) and then every ten minutes, on the replica
 * holding the lease; registering an URL X already has is treated as done.
 */
@ApplicationScoped
public class WebhookRegistrar {
    static final String LEASE = "ensure-webhook";
    private static final Logger LOG = Logger.getLogger(WebhookRegistrar.class);

    /** What one check did. */
    public enum Outcome {
        NOT_LEADER,
        ALREADY_VALID,
        REVALIDATED,
        STILL_INVALID,
        REGISTERED,
        FAILED
    }

    private final XApi x;
    private final LeaderJob leader;
    private final ReplayConfig config;
    private final Clock clock;

    WebhookRegistrar(XApi x, LeaderJobs leaders, ReplayConfig config, Clock clock) {
        this.x = x;
        this.leader = leaders.job(LEASE, Duration.ofMinutes(2));
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-ensure-webhook",
            every = "10m",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.ensureWebhook() && x.configured()) {
            config.webhookUrl()
                    .ifPresentOrElse(
                            url -> ensure(url, clock.instant()),
                            () -> LOG.warn(
                                    "xwr.replay.ensure-webhook is on but xwr.replay.webhook-url is not set: nothing to register"));
        }
    }

    public Outcome ensure(String url, Instant now) {
        if (!leader.leads(now)) {
            return Outcome.NOT_LEADER;
        }
        try {
            Optional<Webhook> known =
                    x.webhooks().stream().filter(w -> w.url().equals(url)).findFirst();
            if (known.isPresent()) {
                if (known.get().valid()) {
                    return Outcome.ALREADY_VALID;
                }
                boolean valid = x.validateWebhook(known.get().id());
                LOG.infof(
                        "Webhook %s was invalid; re-validation %s", known.get().id(), valid ? "passed" : "failed");
                return valid ? Outcome.REVALIDATED : Outcome.STILL_INVALID;
            }
            Webhook created = x.registerWebhook(url);
            LOG.infof("Registered webhook %s for this service", created.id());
            return Outcome.REGISTERED;
        } catch (XApiException e) {
            if ("DuplicateUrlFailed".equals(e.reason())) {
                return Outcome.ALREADY_VALID; // registered meanwhile (by another deployment of this app)
            }
            LOG.warnf("Could not ensure the webhook registration: %s", e.getMessage());
            return Outcome.FAILED;
        }
    }
}
