package io.xwr.ingress;

import io.xwr.config.IngressConfig;
import io.xwr.event.ActivityEvent;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.Normalization;
import io.xwr.signature.SignatureCheck;
import io.xwr.signature.SignatureVerifier;
import io.xwr.signature.VerifiedDelivery;
import io.xwr.store.GroupCommit;
import io.xwr.store.Recorded;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The ingest path of one POST: limits, signature, the object check, normalization, the durable write. Every
 * signed JSON object is stored, understood or not; nothing is written for an unsigned body or a signed
 * non-object.
 */
@ApplicationScoped
public class DeliveryIntake {
    private static final Logger LOG = Logger.getLogger(DeliveryIntake.class);
    /** MDC keys this class sets while it logs about a delivery, and removes before the thread moves on. */
    private static final List<String> LOG_CONTEXT = List.of("deliveryId", "account", "eventKey");

    private final IngressConfig config;
    private final SignatureVerifier verifier;
    private final DeliveryNormalizer normalizer;
    private final GroupCommit recorder;
    private final IngressMetrics metrics;
    private final RotationWatch rotation;
    private final Clock clock;

    DeliveryIntake(
            IngressConfig config,
            SignatureVerifier verifier,
            DeliveryNormalizer normalizer,
            GroupCommit recorder,
            IngressMetrics metrics,
            RotationWatch rotation,
            Clock clock) {
        this.config = config;
        this.verifier = verifier;
        this.normalizer = normalizer;
        this.recorder = recorder;
        this.metrics = metrics;
        this.rotation = rotation;
        this.clock = clock;
    }

    /**
     * Decides a POST. Limits, signature and normalization run on the caller's thread (the HTTP event loop); the
     * stage completes once the delivery is durable, or with the reason it is not.
     */
    public CompletionStage<DeliveryOutcome> receive(
            byte[] body, String contentType, String signature, Map<String, String> headers) {
        long started = System.nanoTime();
        CompletionStage<DeliveryOutcome> outcome;
        try {
            outcome = decide(body, contentType, signature, headers);
        } catch (RuntimeException | Error e) {
            metrics.answered(outcomeTag(null), System.nanoTime() - started);
            throw e;
        } finally {
            LOG_CONTEXT.forEach(MDC::remove);
        }
        return outcome.whenComplete(
                (o, e) -> metrics.answered(outcomeTag(e == null ? o : null), System.nanoTime() - started));
    }

    private CompletionStage<DeliveryOutcome> decide(
            byte[] body, String contentType, String signature, Map<String, String> headers) {
        if (body.length > config.maxBodySize().asLongValue()) {
            return rejected(DeliveryOutcome.Rejection.TOO_LARGE);
        }
        if (!isJson(contentType)) {
            return rejected(DeliveryOutcome.Rejection.UNSUPPORTED_MEDIA_TYPE);
        }
        return switch (verifier.verify(body, signature, headers, clock.instant())) {
            case SignatureCheck.Invalid(SignatureCheck.Reason reason) -> {
                if (reason == SignatureCheck.Reason.MISMATCH) {
                    rotation.mismatch(clock.instant());
                }
                yield rejected(rejectionFor(reason));
            }
            case SignatureCheck.Valid(VerifiedDelivery delivery) ->
                ObjectCheck.opensObject(delivery.body())
                        ? record(delivery)
                        : rejected(DeliveryOutcome.Rejection.NOT_AN_OBJECT);
        };
    }

    private CompletionStage<DeliveryOutcome> record(VerifiedDelivery delivery) {
        Normalization normalization = normalizer.normalize(delivery.body());
        return recorder.recordAsync(delivery, normalization)
                .toCompletableFuture()
                .orTimeout(config.commitWait().toMillis(), TimeUnit.MILLISECONDS)
                .handle((recorded, failure) -> {
                    // On the writer thread that committed: the log context is this delivery's only while this runs.
                    logContext(normalization);
                    try {
                        return failure == null ? accepted(normalization, delivery, recorded) : unavailable(failure);
                    } finally {
                        LOG_CONTEXT.forEach(MDC::remove);
                    }
                });
    }

    private DeliveryOutcome unavailable(Throwable failure) {
        Throwable e =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        // Not durable, so not acknowledged: X retries, and a replay covers what retries miss.
        LOG.warnf("Delivery not recorded, answering 503: %s", rootCause(e));
        metrics.unavailable();
        return new DeliveryOutcome.Unavailable(e.getClass().getSimpleName());
    }

    private DeliveryOutcome accepted(Normalization normalization, VerifiedDelivery delivery, Recorded recorded) {
        MDC.put("deliveryId", recorded.deliveryId());
        metrics.accepted(normalization, delivery.secretFingerprint(), recorded.newEventKeys());
        rotation.verified(delivery.secretFingerprint(), delivery.receivedAt());
        LOG.debugf(
                "Delivery %d recorded: family=%s status=%s events=%d new=%d",
                recorded.deliveryId(),
                normalization.family(),
                normalization.status(),
                recorded.eventCount(),
                recorded.newEventKeys().size());
        if (normalization.problem() != null) {
            LOG.infof(
                    "Delivery %d stored but not fully understood: %s", recorded.deliveryId(), normalization.problem());
        }
        return new DeliveryOutcome.Accepted(recorded);
    }

    /** Log lines of this delivery carry its account and, for a single event, its key (never content). */
    private static void logContext(Normalization normalization) {
        List<ActivityEvent> events = normalization.events();
        if (!events.isEmpty() && events.getFirst().accountId() != null) {
            MDC.put("account", events.getFirst().accountId());
        }
        if (!events.isEmpty()) {
            if (events.size() == 1) {
                MDC.put("eventKey", events.getFirst().key().value());
            }
        }
    }

    private static String outcomeTag(DeliveryOutcome outcome) {
        return switch (outcome) {
            case null -> "error";
            case DeliveryOutcome.Accepted accepted -> "accepted";
            case DeliveryOutcome.Rejected(DeliveryOutcome.Rejection r) -> r.slug;
            case DeliveryOutcome.Unavailable unavailable -> "unavailable";
        };
    }

    private CompletionStage<DeliveryOutcome> rejected(DeliveryOutcome.Rejection rejection) {
        metrics.rejected(rejection);
        LOG.debugf("Delivery rejected: %s", rejection);
        return CompletableFuture.completedFuture(new DeliveryOutcome.Rejected(rejection));
    }

    private static DeliveryOutcome.Rejection rejectionFor(SignatureCheck.Reason reason) {
        return switch (reason) {
            case MISSING -> DeliveryOutcome.Rejection.SIGNATURE_MISSING;
            case MALFORMED -> DeliveryOutcome.Rejection.SIGNATURE_MALFORMED;
            case MISMATCH -> DeliveryOutcome.Rejection.SIGNATURE_MISMATCH;
        };
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        // SQL messages can quote row values ("Failing row contains ..."), so for them only the SQLState is
        // logged; connection failures (class 08) keep their message, which names the host and nothing else.
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            return t.getClass().getSimpleName() + " SQLState=" + state
                    + (state != null && state.startsWith("08") ? ": " + t.getMessage() : "");
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
