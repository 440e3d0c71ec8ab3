package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.compliance.ComplianceJobs;
import io.xwr.compliance.Purges;
import io.xwr.event.Erasure;
import io.xwr.web.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;

/**
 * Purges by hand, for X's own deletion requests, and the audit of every purge: what, why, when, how many rows.
 * The audit never holds the purged content.
 */
@Path("/admin/purges")
@Produces(MediaType.APPLICATION_JSON)
public class PurgeAdminResource {
    private final Purges purges;
    private final ComplianceJobs complianceJobs;
    private final Clock clock;

    PurgeAdminResource(Purges purges, ComplianceJobs complianceJobs, Clock clock) {
        this.purges = purges;
        this.complianceJobs = complianceJobs;
        this.clock = clock;
    }

    /** {@code kind} is {@code post} or {@code user}; {@code reason} is kept in the audit (say who asked). */
    @RegisterForReflection
    public record PurgeRequest(String kind, String id, String reason) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(PurgeRequest request) {
        if (request == null || request.kind() == null || request.id() == null || request.reason() == null) {
            return Problem.response(
                    Response.Status.BAD_REQUEST, "bad-request", "kind (post or user), id and reason are required.");
        }
        Erasure.Kind kind;
        try {
            kind = Erasure.Kind.valueOf(request.kind().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", "kind must be post or user.");
        }
        if (!request.id().matches("[0-9]{1,19}")) {
            return Problem.response(
                    Response.Status.BAD_REQUEST, "bad-request", "id must be an X id: 1 to 19 decimal digits.");
        }
        if (request.reason().isBlank() || request.reason().length() > 500) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", "reason must be 1 to 500 characters.");
        }
        long id = purges.requestByOperator(new Erasure(kind, request.id()), request.reason(), clock.instant());
        return Response.accepted(purges.find(id).orElseThrow())
                .location(URI.create("/admin/purges/" + id))
                .build();
    }

    @GET
    public Response recent(@QueryParam("limit") Integer limit) {
        return Response.ok(purges.recent(limit == null ? 100 : Math.max(1, Math.min(500, limit))))
                .build();
    }

    /**
     * The batch compliance jobs (newest first): the window and how many ids went to X, X's state, and what its
     * answer did, by X's reason; the purges they asked for are in the list above with reason X_COMPLIANCE.
     */
    @GET
    @Path("/compliance-jobs")
    public Response complianceJobs(@QueryParam("limit") Integer limit) {
        return Response.ok(complianceJobs.recent(limit == null ? 100 : Math.max(1, Math.min(500, limit))))
                .build();
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") long id) {
        return purges.find(id)
                .map(p -> Response.ok(p).build())
                .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "not-found", "No purge " + id + "."));
    }
}
