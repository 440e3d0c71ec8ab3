package io.xwr.ingress;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.xwr.config.IngressConfig;
import io.xwr.signature.CrcResponder;
import io.xwr.signature.CrcToken;
import io.xwr.web.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** The URL registered with X: {@code GET ?crc_token=} answers the CRC, {@code POST} takes a delivery. */
@Path("/webhooks/x")
public class WebhookResource {
    static final String SIGNATURE_HEADER = "x-twitter-webhooks-signature";
    private static final byte[] ACCEPTED = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Request headers stored with a delivery: useful for tracing and retry analysis, none of them secret. */
    private static final List<String> KEPT_HEADERS = List.of(
            HttpHeaders.CONTENT_TYPE.toLowerCase(),
            HttpHeaders.CONTENT_LENGTH.toLowerCase(),
            SIGNATURE_HEADER,
            "user-agent",
            "x-forwarded-for",
            "x-b3-traceid",
            "finagle-ctx-com.twitter.finagle.retries",
            "finagle-ctx-com.twitter.finagle.deadline");

    private final CrcResponder crc;
    private final DeliveryIntake intake;
    private final IngressMetrics metrics;
    private final CrcPulse pulse;
    private final int maxCrcTokenBytes;

    WebhookResource(
            CrcResponder crc, DeliveryIntake intake, IngressMetrics metrics, CrcPulse pulse, IngressConfig config) {
        this.crc = crc;
        this.intake = intake;
        this.metrics = metrics;
        this.pulse = pulse;
        this.maxCrcTokenBytes = config.maxCrcTokenBytes();
    }

    /**
     * Answered from memory on the I/O thread, never touching the database, so a CRC passes fast even while
     * storage is down.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response challenge(@Context HttpServerRequest request) {
        String token;
        try {
            // Form decoding ('+' is a space), as every reference implementation does (spec 1.2, vectors C6, I1).
            List<String> values = new QueryStringDecoder(request.query() == null ? "" : request.query(), false)
                    .parameters()
                    .get("crc_token");
            token = values == null ? null : values.getFirst();
        } catch (IllegalArgumentException e) {
            metrics.crcAnswered("refused");
            return Problem.response(
                    Response.Status.BAD_REQUEST, "crc-token-invalid", "The query string is not decodable.");
        }
        return switch (CrcToken.parse(token, maxCrcTokenBytes)) {
            case CrcToken.Accepted(CrcToken accepted) -> {
                metrics.crcAnswered("answered");
                pulse.answered();
                yield Response.ok(new CrcAnswer(crc.responseToken(accepted)), MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build();
            }
            case CrcToken.Refused(CrcToken.Refusal refusal) -> {
                metrics.crcAnswered("refused");
                yield Problem.response(
                        Response.Status.BAD_REQUEST, "crc-token-" + slug(refusal), refusalDetail(refusal));
            }
        };
    }

    /**
     * Verified and normalized where Quarkus REST read the body: on the I/O thread for bodies up to its input
     * buffer (10 KiB by default, which X's deliveries mostly are), on a worker past that. That thread then moves
     * on; the answer is written when the delivery's group commit completes, on this request's context, so the
     * writer threads only hand it over. No thread waits on the database.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public CompletionStage<Response> deliver(byte[] body, @Context HttpHeaders headers) {
        io.vertx.core.Context loop = Vertx.currentContext();
        Executor onLoop = loop == null ? Runnable::run : task -> loop.runOnContext(ignored -> task.run());
        return intake.receive(
                        body == null ? new byte[0] : body,
                        headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                        headers.getHeaderString(SIGNATURE_HEADER),
                        kept(headers))
                .thenApplyAsync(WebhookResource::answer, onLoop);
    }

    private static Response answer(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Accepted accepted ->
                // Bytes, not a String: a String entity under application/json goes through Jackson, a measurable
                // share of the event loop per delivery.
                Response.ok(ACCEPTED, MediaType.APPLICATION_JSON_TYPE).build();
            case DeliveryOutcome.Rejected(DeliveryOutcome.Rejection r) ->
                Problem.response(Response.Status.fromStatusCode(r.status), r.slug, r.detail);
            case DeliveryOutcome.Unavailable unavailable ->
                Response.fromResponse(Problem.response(
                                Response.Status.SERVICE_UNAVAILABLE,
                                "storage-unavailable",
                                "The delivery could not be stored; retry later."))
                        .header(HttpHeaders.RETRY_AFTER, "5")
                        .build();
        };
    }

    /** The CRC answer body: exactly one key (spec 1.3). Registered: a Response entity is invisible to native builds. */
    @RegisterForReflection
    public record CrcAnswer(@JsonProperty("response_token") String responseToken) {}

    private static Map<String, String> kept(HttpHeaders headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                kept.put(name, value.length() > 256 ? value.substring(0, 256) : value);
            }
        }
        return kept;
    }

    private static String slug(CrcToken.Refusal refusal) {
        return refusal.name().toLowerCase().replace('_', '-');
    }

    private static String refusalDetail(CrcToken.Refusal refusal) {
        return switch (refusal) {
            case MISSING -> "A crc_token query parameter is required.";
            case TOO_LONG -> "The crc_token is longer than any token X sends.";
            case JSON_LIKE, CONTROL_CHARACTER -> "The crc_token contains characters X never sends.";
        };
    }
}
