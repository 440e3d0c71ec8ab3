package io.xwr.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xwr.config.IngressConfig;
import io.xwr.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/x}, the ack path's HTTP side, on a plain Vert.x route: the body is read on the event loop
 * (up to the limit), {@link DeliveryIntake} decides, and the answer is written back on the event loop once the
 * delivery's group commit completed. Not a Quarkus REST resource: its per-request machinery (resource matching,
 * context propagation, the response writer chain) cost the event loop more than TLS and the HMAC together, on
 * the one request that comes in thousands per second. The CRC ({@code GET}) stays in {@link WebhookResource}.
 */
@ApplicationScoped
class DeliveryRoute {
    private static final Logger LOG = Logger.getLogger(DeliveryRoute.class);
    private static final String JSON = "application/json";
    private static final Buffer ACCEPTED = Buffer.buffer("{}");

    /** Request headers stored with a delivery: useful for tracing and retry analysis, none of them secret. */
    static final List<String> KEPT_HEADERS = List.of(
            "content-type",
            "content-length",
            WebhookResource.SIGNATURE_HEADER,
            "user-agent",
            "x-forwarded-for",
            "x-b3-traceid",
            "finagle-ctx-com.twitter.finagle.retries",
            "finagle-ctx-com.twitter.finagle.deadline");

    private final DeliveryIntake intake;
    private final IngressMetrics metrics;
    private final long maxBody;
    private final Map<DeliveryOutcome.Rejection, Buffer> rejections = new EnumMap<>(DeliveryOutcome.Rejection.class);
    private final Buffer unavailable;
    private final Buffer failed;

    DeliveryRoute(DeliveryIntake intake, IngressMetrics metrics, IngressConfig config, ObjectMapper mapper) {
        this.intake = intake;
        this.metrics = metrics;
        this.maxBody = config.maxBodySize().asLongValue();
        for (DeliveryOutcome.Rejection r : DeliveryOutcome.Rejection.values()) {
            rejections.put(r, problem(mapper, r.status, r.slug, r.detail));
        }
        this.unavailable =
                problem(mapper, 503, "storage-unavailable", "The delivery could not be stored; retry later.");
        this.failed = problem(mapper, 500, "internal-error", "The delivery could not be taken; retry later.");
    }

    /** After the request deadline's route ({@link RequestDeadline}), before Quarkus REST's. */
    void install(@Observes Router router) {
        router.post(WebhookResource.PATH).order(Integer.MIN_VALUE + 1).handler(this::receive);
    }

    private void receive(RoutingContext context) {
        HttpServerRequest request = context.request();
        long declared = declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > maxBody) {
            // Refused on the declared length, before a byte of the body is buffered.
            refuseTooLarge(context);
            return;
        }
        Body body = new Body(declared);
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (!body.append(chunk, maxBody)) {
                refused[0] = true; // a body without a declared length that grew past the limit
                refuseTooLarge(context);
            }
        });
        request.endHandler(ignored -> {
            if (!refused[0]) {
                decide(context, body.take());
            }
        });
        request.exceptionHandler(e -> LOG.debugf("Webhook request broken off while its body arrived: %s", e));
        request.resume(); // Quarkus holds every request paused until a handler takes its body
    }

    private void decide(RoutingContext context, byte[] body) {
        HttpServerRequest request = context.request();
        Context loop = Vertx.currentContext();
        try {
            intake.receive(
                            body,
                            request.getHeader(HttpHeaders.CONTENT_TYPE),
                            request.getHeader(WebhookResource.SIGNATURE_HEADER),
                            kept(request))
                    .whenComplete((outcome, failure) -> {
                        if (failure != null) {
                            LOG.errorf(
                                    "Delivery not decided, answering 500: %s",
                                    failure.getClass().getName());
                        }
                        // Answered where the request lives: the writer thread that committed only hands it over.
                        loop.runOnContext(ignored -> answer(context.response(), failure == null ? outcome : null));
                    });
        } catch (RuntimeException e) {
            LOG.errorf("Delivery not decided, answering 500: %s", e.getClass().getName());
            answer(context.response(), null);
        }
    }

    private void answer(HttpServerResponse response, DeliveryOutcome outcome) {
        if (response.ended() || response.closed()) {
            return; // the client left, or the request deadline cut the connection
        }
        switch (outcome) {
            case DeliveryOutcome.Accepted accepted ->
                response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(ACCEPTED);
            case DeliveryOutcome.Rejected(DeliveryOutcome.Rejection r) ->
                problem(response, r.status, rejections.get(r));
            case DeliveryOutcome.Unavailable u -> {
                response.putHeader(HttpHeaders.RETRY_AFTER, "5");
                problem(response, 503, unavailable);
            }
            case null -> problem(response, 500, failed);
        }
    }

    /** 413 and the connection closed: the rest of the body is never read. */
    private void refuseTooLarge(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        metrics.rejected(DeliveryOutcome.Rejection.TOO_LARGE);
        response.putHeader(HttpHeaders.CONNECTION, "close");
        problem(response, 413, rejections.get(DeliveryOutcome.Rejection.TOO_LARGE))
                .onComplete(ignored -> context.request().connection().close());
    }

    private static io.vertx.core.Future<Void> problem(HttpServerResponse response, int status, Buffer body) {
        return response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }

    private static Buffer problem(ObjectMapper mapper, int status, String slug, String detail) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(Problem.of(status, slug, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem not serializable", e);
        }
    }

    /**
     * A request's body as it arrives: into one array of the declared length, so a 5 MiB body is held once (a
     * growing buffer copied into an array at the end held it two and a half times, and eight hostile bodies at
     * once ran the heap out); a body without a declared length grows by doubling, up to the limit.
     */
    static final class Body {
        private byte[] bytes;
        private int length;

        Body(long declared) {
            this.bytes = new byte[declared >= 0 ? (int) declared : 8 * 1024];
        }

        /** False, keeping nothing more, when the chunk would take the body past {@code max}. */
        boolean append(Buffer chunk, long max) {
            int n = chunk.length();
            if ((long) length + n > max) {
                bytes = new byte[0];
                length = 0;
                return false;
            }
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(max, Math.max(length + n, 2L * bytes.length)));
            }
            chunk.getBytes(0, n, bytes, length);
            length += n;
            return true;
        }

        /** The body, once: the request keeps this holder until it is answered, not the bytes. */
        byte[] take() {
            byte[] body = length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
            bytes = new byte[0];
            length = 0;
            return body;
        }
    }

    /**
     * The declared body length, or -1 when there is none (chunked) or it is not a number (the HTTP decoder refuses
     * those with a 400 before any route): the limit then holds while the body arrives.
     */
    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> kept(HttpServerRequest request) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                kept.put(name, value.length() > 256 ? value.substring(0, 256) : value);
            }
        }
        return kept;
    }
}
