package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
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

/** X Activity API subscriptions ({@code /2/activity/subscriptions}). */
@RegisterRestClient(configKey = "x-api")
@RegisterClientHeaders(XBearer.class)
@RegisterProvider(XApiErrors.class)
@Path("/2/activity/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public interface ActivityClient {

    @GET
    JsonNode list(@QueryParam("max_results") Integer maxResults, @QueryParam("pagination_token") String token);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(XRequests.CreateSubscription request);

    @DELETE
    @Path("/{subscription_id}")
    JsonNode delete(@PathParam("subscription_id") String subscriptionId);
}
