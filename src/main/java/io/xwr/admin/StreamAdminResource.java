package io.xwr.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.replay.StreamRecovery;
import io.xwr.web.Problem;
import io.xwr.xapi.StreamFields;
import io.xwr.xapi.XApi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The filtered stream behind filtered-stream webhooks: its rules ({@code /2/tweets/search/stream/rules}) and its
 * links to webhooks with the fields each post carries ({@code /2/tweets/search/webhooks}). X's refusals of single
 * rules are returned as a problem with X's errors, never dropped.
 */
@Path("/admin/x/stream")
@Produces(MediaType.APPLICATION_JSON)
public class StreamAdminResource {
    private static final String ID = "[0-9]{1,19}";
    /** X's longest rule (Enterprise; smaller tiers allow less and X says so per rule). */
    static final int MAX_RULE_LENGTH = 2048;

    private final XApi x;
    private final StreamRecovery recovery;
    private final ObjectMapper mapper;

    StreamAdminResource(XApi x, StreamRecovery recovery, ObjectMapper mapper) {
        this.x = x;
        this.recovery = recovery;
        this.mapper = mapper;
    }

    /**
     * Gaps read back through the stream's connection API ({@code xwr.stream.recovery=connection}), newest first:
     * window, how far it was read, posts read, state.
     */
    @GET
    @Path("/recoveries")
    public Response recoveries(@QueryParam("limit") Integer limit) {
        return Response.ok(recovery.recent(limit == null ? 50 : Math.max(1, Math.min(500, limit))))
                .build();
    }

    /** A link to create: the webhook, and the field parameters with their values. */
    @RegisterForReflection
    public record NewLink(String webhookId, Map<String, List<String>> fields) {}

    @GET
    @Path("/rules")
    public Response rules() {
        return Response.ok(x.streamRules()).build();
    }

    /**
     * {@code {"add":[{"value","tag"}]}} or {@code {"delete":{"ids":[...]}}}; {@code ?dryRun=true} has X validate
     * the rules without changing any. 200 with X's answer when X took every rule; 422 with X's per-rule errors (and
     * what it did take) when it refused some.
     */
    @POST
    @Path("/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeRules(JsonNode change, @QueryParam("dryRun") boolean dryRun) {
        String wrong = invalid(change);
        if (wrong != null) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", wrong);
        }
        JsonNode answer = x.changeStreamRules(change, dryRun);
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            ObjectNode problem = mapper.createObjectNode()
                    .put("type", "urn:xwr:problem:x-rules-refused")
                    .put("title", "Unprocessable Content")
                    .put("status", 422)
                    .put("detail", "X refused " + errors.size() + " of the rules; see errors (X's own).");
            problem.set("errors", errors);
            problem.set("meta", answer.path("meta"));
            problem.set("data", answer.path("data"));
            return Response.status(422).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        return Response.ok(answer).build();
    }

    @GET
    @Path("/links")
    public Response links() {
        return Response.ok(x.streamLinks()).build();
    }

    @POST
    @Path("/links")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response link(NewLink request) {
        if (request == null
                || request.webhookId() == null
                || !request.webhookId().matches(ID)) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", "webhookId must be X's webhook id.");
        }
        Map<String, List<String>> fields = request.fields() == null ? Map.of() : request.fields();
        List<String> problems = StreamFields.problems(fields);
        if (!problems.isEmpty()) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", String.join("; ", problems) + ".");
        }
        boolean provisioned = x.linkStream(request.webhookId(), StreamFields.query(fields));
        return Response.status(Response.Status.CREATED)
                .entity(Map.of("webhookId", request.webhookId(), "provisioned", provisioned))
                .build();
    }

    @DELETE
    @Path("/links/{webhookId: " + ID + "}")
    public Response unlink(@PathParam("webhookId") String webhookId) {
        x.unlinkStream(webhookId);
        return Response.noContent().build();
    }

    /** Why a rules change cannot go to X, or null. */
    private static String invalid(JsonNode change) {
        if (change == null || !change.isObject() || change.has("add") == change.has("delete")) {
            return "Give either {\"add\":[{\"value\",\"tag\"}]} or {\"delete\":{\"ids\":[...]}}.";
        }
        if (change.has("add")) {
            JsonNode add = change.path("add");
            if (!add.isArray() || add.isEmpty()) {
                return "add must list at least one rule.";
            }
            for (JsonNode rule : add) {
                String value = rule.path("value").asText("");
                if (value.isBlank() || value.length() > MAX_RULE_LENGTH) {
                    return "Each rule needs a value of 1 to " + MAX_RULE_LENGTH + " characters.";
                }
                if (rule.has("tag") && !rule.path("tag").isTextual()) {
                    return "A rule's tag is a string.";
                }
            }
            return null;
        }
        JsonNode ids = change.path("delete").path("ids");
        if (!ids.isArray() || ids.isEmpty()) {
            return "delete.ids must list at least one rule id.";
        }
        for (JsonNode id : ids) {
            if (!id.asText("").matches(ID)) {
                return "Rule ids are X's ids: 1 to 19 decimal digits.";
            }
        }
        return null;
    }
}
