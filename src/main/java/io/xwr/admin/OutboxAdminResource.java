package io.xwr.admin;

import io.xwr.outbox.Outbox;
import io.xwr.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The outbox for operators: how far behind Kafka is, which rows are parked, and releasing them. */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {
    private final Outbox outbox;

    OutboxAdminResource(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Rows waiting, rows parked, and the commit time of the oldest waiting row. */
    @GET
    public Response stats() {
        return Response.ok(outbox.stats()).build();
    }

    /** Parked rows, oldest first (at most 500), with attempts and the last error. */
    @GET
    @Path("/parked")
    public Response parked() {
        return Response.ok(outbox.parked(500)).build();
    }

    /** Puts a parked row back in line with a fresh attempt count. */
    @POST
    @Path("/parked/{id}/release")
    public Response release(@PathParam("id") long id) {
        return outbox.release(id)
                ? Response.noContent().build()
                : Problem.response(Response.Status.NOT_FOUND, "not-found", "No parked outbox row " + id + ".");
    }
}
