package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The app-only part of the Account Activity API (deprecated by X, still served): subscription list, count and
 * removal, and the AAA replay job. Subscribing a user needs that user's own token, so it is not here.
 */
@RegisterRestClient(configKey = "x-api")
@RegisterClientHeaders(XBearer.class)
@RegisterProvider(XApiErrors.class)
@Path("/2/account_activity")
@Produces(MediaType.APPLICATION_JSON)
public interface AccountActivityClient {

    @GET
    @Path("/webhooks/{webhook_id}/subscriptions/all/list")
    JsonNode subscriptions(@PathParam("webhook_id") String webhookId);

    @DELETE
    @Path("/webhooks/{webhook_id}/subscriptions/{user_id}/all")
    JsonNode unsubscribe(@PathParam("webhook_id") String webhookId, @PathParam("user_id") String userId);

    @GET
    @Path("/subscriptions/count")
    JsonNode count();

    /** {@code from_date} inclusive, {@code to_date} exclusive, both {@code yyyymmddhhmm} UTC (spec 5.6). */
    @POST
    @Path("/replay/webhooks/{webhook_id}/subscriptions/all")
    JsonNode replay(
            @PathParam("webhook_id") String webhookId,
            @QueryParam("from_date") String fromDate,
            @QueryParam("to_date") String toDate);
}
