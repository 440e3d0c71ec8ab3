package io.xwr.admin;

import io.xwr.projection.Projection;
import io.xwr.projection.Projector;
import io.xwr.projection.Reprojections;
import io.xwr.web.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The projection for operators: how far behind the log it is, and the deliveries it set aside. */
@Path("/admin/projection")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionAdminResource {
    private final Projection projection;
    private final Projector projector;
    private final Reprojections reprojections;

    ProjectionAdminResource(Projection projection, Projector projector, Reprojections reprojections) {
        this.projection = projection;
        this.projector = projector;
        this.reprojections = reprojections;
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

    /** A time range of stored deliveries to project again (after a normalizer upgrade). */
    public record ReprojectionRequest(String from, String to) {}

    /**
     * Projects the deliveries received in [from, to) again, behind the log: events the normalizer finds now are
     * added (once by key) and published. 202 with the re-projection, whose progress {@code GET} shows.
     */
    @POST
    @Path("/reprojections")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reproject(ReprojectionRequest request) {
        Instant from;
        Instant to;
        try {
            from = Instant.parse(request == null || request.from() == null ? "" : request.from());
            to = Instant.parse(request.to() == null ? "" : request.to());
        } catch (DateTimeParseException e) {
            return Problem.response(
                    Response.Status.BAD_REQUEST,
                    "bad-time",
                    "from and to must be ISO-8601 instants, e.g. 2026-11-22T10:00:00Z.");
        }
        if (!from.isBefore(to)) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-range", "from must be before to.");
        }
        Reprojections.Reprojection created = reprojections.request(from, to);
        return Response.accepted(created)
                .location(URI.create("/admin/projection/reprojections/" + created.id()))
                .build();
    }

    @GET
    @Path("/reprojections")
    public Response reprojectionList() {
        return Response.ok(reprojections.recent(100)).build();
    }

    @GET
    @Path("/reprojections/{id}")
    public Response reprojection(@PathParam("id") long id) {
        return reprojections
                .find(id)
                .map(r -> Response.ok(r).build())
                .orElseGet(
                        () -> Problem.response(Response.Status.NOT_FOUND, "not-found", "No re-projection " + id + "."));
    }
}
