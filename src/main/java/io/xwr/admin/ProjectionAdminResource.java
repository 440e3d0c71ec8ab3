package io.xwr.admin;

import io.xwr.projection.Projector;
import io.xwr.store.Projection;
import io.xwr.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The projection for operators: how far behind the log it is, and the deliveries it set aside. */
@Path("/admin/projection")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionAdminResource {
    private final Projection projection;
    private final Projector projector;

    ProjectionAdminResource(Projection projection, Projector projector) {
        this.projection = projection;
        this.projector = projector;
    }

    /** The position in the log, and how many deliveries wait behind it. */
    public record Status(long position, long behind, List<Projection.Quarantined> quarantined) {}

    @GET
    public Response status() {
        return Response.ok(new Status(projection.position(), projection.behind(), projection.quarantined(20)))
                .build();
    }

    /** Quarantined deliveries, newest first (at most 500), with the reason. */
    @GET
    @Path("/quarantine")
    public Response quarantined() {
        return Response.ok(projection.quarantined(500)).build();
    }

    /** Projects a quarantined delivery again (after a fix); it leaves quarantine when that works. */
    @POST
    @Path("/quarantine/{id}/reprojection")
    public Response reproject(@PathParam("id") long id) {
        if (projection.quarantineReason(id).isEmpty()) {
            return Problem.response(Response.Status.NOT_FOUND, "not-found", "No quarantined delivery " + id + ".");
        }
        return projector
                .reproject(id)
                .map(step -> step.quarantined() == 0
                        ? Response.ok(new Reprojected(id, "PROJECTED", null)).build()
                        : Response.ok(new Reprojected(
                                        id,
                                        "QUARANTINED",
                                        projection.quarantineReason(id).orElse(null)))
                                .build())
                .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "not-found", "No delivery " + id + "."));
    }

    /** The outcome of a re-projection. */
    public record Reprojected(long deliveryId, String projection, String problem) {}
}
