package io.xwr.admin;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.xwr.projection.ActivityLog;
import io.xwr.projection.EventQuery;
import io.xwr.projection.StoredDelivery;
import io.xwr.web.Problem;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/** Read API for operators and tools: {@code GET /admin/events} and {@code GET /admin/deliveries/{id}}. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private final ActivityLog log;

    AdminResource(ActivityLog log) {
        this.log = log;
    }

    /** Events newest first, filtered by account, domain type and recording time; paged with {@code before}. */
    @GET
    @Path("/events")
    public Response events(
            @QueryParam("account") String account,
            @QueryParam("type") String type,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        EventQuery query;
        try {
            query = new EventQuery(
                    blankToNull(account),
                    blankToNull(type),
                    instant(since),
                    instant(until),
                    before == null || before.isBlank() ? null : number("before", before),
                    Math.toIntExact(number("limit", limit)));
        } catch (DateTimeParseException e) {
            return Problem.response(
                    Response.Status.BAD_REQUEST,
                    "bad-time",
                    "since/until must be ISO-8601 instants, e.g. 2026-11-22T10:00:00Z.");
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-query", e.getMessage());
        }
        return Response.ok(log.events(query)).build();
    }

    @GET
    @Path("/deliveries/{id}")
    public Response delivery(@PathParam("id") long id) {
        return log.delivery(id)
                .map(d -> Response.ok(DeliveryView.of(d)).build())
                .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "not-found", "No delivery " + id + "."));
    }

    /** A raw delivery; the body is text when it is valid UTF-8 (always, for X's JSON), else base64. */
    public record DeliveryView(
            long id,
            Instant receivedAt,
            String projection,
            String problem,
            String family,
            @JsonRawValue String headers,
            String secretFingerprint,
            String bodySha256,
            String bodyEncoding,
            String body,
            List<String> newEventKeys) {
        static DeliveryView of(StoredDelivery d) {
            String text = utf8(d.body());
            return new DeliveryView(
                    d.id(),
                    d.receivedAt(),
                    d.projection(),
                    d.problem(),
                    d.family(),
                    d.headers(),
                    d.secretFingerprint(),
                    d.bodySha256(),
                    text != null ? "utf-8" : "base64",
                    text != null ? text : Base64.getEncoder().encodeToString(d.body()),
                    d.newEventKeys());
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
