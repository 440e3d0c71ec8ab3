package io.xwr.ingress;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import io.xwr.config.IngressConfig;
import io.xwr.signature.CrcResponder;
import io.xwr.signature.CrcToken;
import io.xwr.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The URL registered with X: {@code GET ?crc_token=} answers the CRC. Its {@code POST}, a delivery, is taken by
 * {@link DeliveryRoute} on a plain Vert.x route.
 */
@Path(WebhookResource.PATH)
public class WebhookResource {
    /** The URL path registered with X: the CRC here, the delivery on {@link DeliveryRoute}, one deadline for both. */
    public static final String PATH = "/webhooks/x";

    static final String SIGNATURE_HEADER = "x-twitter-webhooks-signature";

    private final CrcResponder crc;
    private final IngressMetrics metrics;
    private final CrcPulse pulse;
    private final int maxCrcTokenBytes;

    WebhookResource(CrcResponder crc, IngressMetrics metrics, CrcPulse pulse, IngressConfig config) {
        this.crc = crc;
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

    /** The CRC answer body: exactly one key (spec 1.3). Registered: a Response entity is invisible to native builds. */
    @RegisterForReflection
    public record CrcAnswer(@JsonProperty("response_token") String responseToken) {}

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
