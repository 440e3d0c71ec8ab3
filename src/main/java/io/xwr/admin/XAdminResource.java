package io.xwr.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.web.Problem;
import io.xwr.xapi.XApi;
import io.xwr.xapi.XRequests;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Webhooks and subscriptions at X, for operators. Calls go through the fault-tolerant {@link XApi}; X's
 * refusals come back as problems with X's reason ({@link XApiProblems}).
 */
@Path("/admin/x")
@Produces(MediaType.APPLICATION_JSON)
public class XAdminResource {
    private static final String ID = "[0-9]{1,19}";

    private final XApi x;

    XAdminResource(XApi x) {
        this.x = x;
    }

    /** A webhook to register; X runs a CRC against it first. */
    @RegisterForReflection
    public record NewWebhook(String url) {}

    /** An X Activity API subscription to create (X's own field names). */
    @RegisterForReflection
    public record NewSubscription(
            @JsonProperty("event_type") String eventType,
            XRequests.Filter filter,
            String tag,
            @JsonProperty("webhook_id") String webhookId) {}

    @GET
    @Path("/webhooks")
    public Response webhooks() {
        return Response.ok(x.webhooks()).build();
    }

    @POST
    @Path("/webhooks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(NewWebhook request) {
        if (request == null || request.url() == null || !request.url().startsWith("https://")) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", "Give the HTTPS url to register.");
        }
        return Response.status(Response.Status.CREATED)
                .entity(x.registerWebhook(request.url()))
                .build();
    }

    /** Asks X to run a CRC now; a webhook X marked invalid is re-enabled when it passes. */
    @PUT
    @Path("/webhooks/{id: " + ID + "}")
    public Response validate(@PathParam("id") String id) {
        return Response.ok(Map.of("id", id, "valid", x.validateWebhook(id))).build();
    }

    @DELETE
    @Path("/webhooks/{id: " + ID + "}")
    public Response delete(@PathParam("id") String id) {
        x.deleteWebhook(id);
        return Response.noContent().build();
    }

    /** Users subscribed to the webhook through the Account Activity API. */
    @GET
    @Path("/webhooks/{id: " + ID + "}/subscriptions")
    public Response accountActivitySubscriptions(@PathParam("id") String id) {
        return Response.ok(Map.of("webhookId", id, "userIds", x.accountActivitySubscriptions(id)))
                .build();
    }

    /** Subscribing a user needs that user's own OAuth token, which this service never holds. */
    @POST
    @Path("/webhooks/{id: " + ID + "}/subscriptions")
    public Response subscribeUser(@PathParam("id") String id) {
        return Problem.response(
                Response.Status.NOT_IMPLEMENTED,
                "user-context-required",
                "X subscribes a user to the Account Activity API only with that user's own token; "
                        + "use the X Activity API subscriptions, or subscribe from the user's session.");
    }

    @DELETE
    @Path("/webhooks/{id: " + ID + "}/subscriptions/{userId: " + ID + "}")
    public Response unsubscribeUser(@PathParam("id") String id, @PathParam("userId") String userId) {
        x.deleteAccountActivitySubscription(id, userId);
        return Response.noContent().build();
    }

    @GET
    @Path("/subscriptions")
    public Response activitySubscriptions() {
        return Response.ok(x.activitySubscriptions()).build();
    }

    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response subscribe(NewSubscription request) {
        if (request == null || request.eventType() == null || request.filter() == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-request", "event_type and filter are required.");
        }
        return Response.status(Response.Status.CREATED)
                .entity(x.createActivitySubscription(new XRequests.CreateSubscription(
                        request.eventType(), request.filter(), request.tag(), request.webhookId())))
                .build();
    }

    @DELETE
    @Path("/subscriptions/{id: " + ID + "}")
    public Response unsubscribe(@PathParam("id") String id) {
        x.deleteActivitySubscription(id);
        return Response.noContent().build();
    }
}
