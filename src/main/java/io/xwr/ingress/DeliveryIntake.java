package io.xwr.ingress;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.xwr.config.IngressConfig;
import io.xwr.rawlog.GroupCommit;
import io.xwr.signature.SignatureCheck;
import io.xwr.signature.SignatureVerifier;
import io.xwr.signature.VerifiedDelivery;
import io.xwr.store.Traces;
import io.xwr.store.Unreachable;
import jakarta.enterprise.context.ApplicationScoped;
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
 * The ack path of one POST: limits, signature, the object check, the append to the raw log. Every signed JSON
 * object is stored, byte for byte, before it is understood (the projection reads the log behind this); nothing
 * is written for an unsigned body or a signed non-object.
 */
@ApplicationScoped
public class DeliveryIntake {
    private static final Logger LOG = Logger.getLogger(DeliveryIntake.class);
    /** MDC keys this class sets while it logs about a delivery, and removes before the thread moves on. */
    private static final List<String> LOG_CONTEXT = List.of("deliveryId");

    private final IngressConfig config;
    private final SignatureVerifier verifier;
    private final GroupCommit recorder;
    private final IngressMetrics metrics;
    private final RotationWatch rotation;
    private final Clock clock;
    private final Tracer tracer;

    DeliveryIntake(
            IngressConfig config,
            SignatureVerifier verifier,
            GroupCommit recorder,
            IngressMetrics metrics,
            RotationWatch rotation,
            Clock clock,
            Tracer tracer) {
        this.config = config;
        this.verifier = verifier;
        this.recorder = recorder;
        this.metrics = metrics;
        this.rotation = rotation;
        this.clock = clock;
        this.tracer = tracer;
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

    /**
     * Appends the delivery under a span of its own (a child of the POST's): its trace context is kept with the
     * delivery, so the events published from it later continue the same trace.
     */
    private CompletionStage<DeliveryOutcome> record(VerifiedDelivery delivery) {
        Span append = tracer.spanBuilder("raw-log append").startSpan();
        String traceparent = Traces.traceparent(append);
        VerifiedDelivery traced = traceparent == null ? delivery : delivery.withHeader(Traces.HEADER, traceparent);
        return recorder.recordAsync(traced)
                .toCompletableFuture()
                .orTimeout(config.commitWait().toMillis(), TimeUnit.MILLISECONDS)
                .handle((id, failure) -> {
                    try {
                        if (failure == null) {
                            append.setAttribute("xwr.delivery.id", id);
                            return accepted(delivery, id);
                        }
                        append.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                        return unavailable(failure);
                    } finally {
                        append.end();
                    }
                });
    }

    private DeliveryOutcome unavailable(Throwable failure) {
        Throwable e =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        // Not durable, so not acknowledged: X retries, and a replay covers what retries miss.
        LOG.warnf("Delivery not recorded, answering 503: %s", Unreachable.describe(e));
        metrics.unavailable();
        return new DeliveryOutcome.Unavailable(e.getClass().getSimpleName());
    }

    /** On the writer thread that committed. */
    private DeliveryOutcome accepted(VerifiedDelivery delivery, long deliveryId) {
        metrics.accepted(delivery.secretFingerprint());
        rotation.verified(delivery.secretFingerprint(), delivery.receivedAt());
        if (LOG.isDebugEnabled()) {
            MDC.put("deliveryId", deliveryId);
            try {
                LOG.debugf("Delivery %d appended to the raw log", deliveryId);
            } finally {
                LOG_CONTEXT.forEach(MDC::remove);
            }
        }
        return new DeliveryOutcome.Accepted(deliveryId);
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
}
