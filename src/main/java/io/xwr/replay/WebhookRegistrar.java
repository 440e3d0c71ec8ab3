package io.xwr.replay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ReplayConfig;
import io.xwr.config.StreamConfig;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.xapi.StreamFields;
import io.xwr.xapi.StreamLink;
import io.xwr.xapi.Webhook;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Keeps this service's URL registered with X and valid, when asked to ({@code xwr.replay.ensure-webhook}). Runs
 * shortly after start-up (X's registration CRC needs the endpoint up) and then every ten minutes, on the replica
 * holding the lease; registering an URL X already has is treated as done.
 */
@ApplicationScoped
@Startup // its meters exist from the first scrape
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
    private final StreamConfig stream;
    private final Clock clock;
    /** What X said of the webhook at this replica's last check: 1 valid, 0 invalid, -1 not checked here. */
    private final AtomicInteger valid = new AtomicInteger(-1);

    WebhookRegistrar(
            XApi x, LeaderJobs leaders, ReplayConfig config, StreamConfig stream, Clock clock, MeterRegistry registry) {
        List<String> wrong = StreamFields.problems(stream.fields());
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("xwr.stream fields X would refuse: " + String.join("; ", wrong));
        }
        this.x = x;
        this.leader = leaders.job(LEASE, Duration.ofMinutes(2));
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        // Alerted on (k8s/components/monitoring): X delivers nothing to an invalid webhook until a CRC passes.
        Gauge.builder("xwr.webhook.valid", valid, v -> v.get() < 0 ? Double.NaN : v.get())
                .description("1 if X reported the webhook valid at this replica's last check, 0 if invalid,"
                        + " NaN if this replica has not checked")
                .register(registry);
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
                    valid.set(1);
                    return linked(known.get().id(), Outcome.ALREADY_VALID);
                }
                boolean revalidated = x.validateWebhook(known.get().id());
                valid.set(revalidated ? 1 : 0);
                LOG.infof(
                        "Webhook %s was invalid; re-validation %s",
                        known.get().id(), revalidated ? "passed" : "failed");
                return revalidated ? linked(known.get().id(), Outcome.REVALIDATED) : Outcome.STILL_INVALID;
            }
            Webhook created = x.registerWebhook(url);
            valid.set(1);
            LOG.infof("Registered webhook %s for this service", created.id());
            return linked(created.id(), Outcome.REGISTERED);
        } catch (XApiException e) {
            if ("DuplicateUrlFailed".equals(e.reason())) {
                return Outcome.ALREADY_VALID; // registered meanwhile (by another deployment of this app)
            }
            LOG.warnf("Could not ensure the webhook registration: %s", e.getMessage());
            return Outcome.FAILED;
        }
    }

    /** What keeping the stream's link did. */
    public enum LinkOutcome {
        OFF,
        ALREADY_LINKED,
        LINKED,
        /** Linked with other fields: unlinked and linked again with the configured ones. */
        RELINKED
    }

    /** The webhook's outcome, once the stream's link to it is kept too (when {@code xwr.stream.link}). */
    private Outcome linked(String webhookId, Outcome outcome) {
        ensureStreamLink(webhookId);
        return outcome;
    }

    /** Keeps the app's filtered stream linked to the webhook with the configured fields. */
    public LinkOutcome ensureStreamLink(String webhookId) {
        return stream.link() ? ensureStreamLink(webhookId, stream.fields()) : LinkOutcome.OFF;
    }

    /** Keeps the app's filtered stream linked to the webhook with these fields (X's parameter names). */
    public LinkOutcome ensureStreamLink(String webhookId, Map<String, List<String>> fields) {
        Optional<StreamLink> link = x.streamLinks().stream()
                .filter(l -> webhookId.equals(l.webhookId()))
                .findFirst();
        if (link.isPresent() && StreamFields.same(link.get().fields(), fields)) {
            return LinkOutcome.ALREADY_LINKED;
        }
        if (link.isPresent()) {
            x.unlinkStream(webhookId);
        }
        x.linkStream(webhookId, StreamFields.query(fields));
        LOG.infof("Linked the filtered stream to webhook %s with %s", webhookId, StreamFields.query(fields));
        return link.isPresent() ? LinkOutcome.RELINKED : LinkOutcome.LINKED;
    }
}
