package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * {@code /2/webhooks} (X's OpenAPI operations getWebhooks, createWebhooks, validateWebhooks, deleteWebhooks,
 * createWebhookReplayJob). Answers stay JSON trees: X's documented shapes conflict (spec 4.1, 6), so {@link
 * XApi} reads them defensively.
 */
@RegisterRestClient(configKey = "x-api")
@RegisterClientHeaders(XBearer.class)
@RegisterProvider(XApiErrors.class)
@Path("/2/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public interface WebhooksClient {

    @GET
    JsonNode list(@QueryParam("webhook_config.fields") String fields);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(XRequests.CreateWebhook request);

    /** Makes X run a CRC now; re-enables an invalid webhook when it passes. */
    @PUT
    @Path("/{webhook_id}")
    JsonNode validate(@PathParam("webhook_id") String webhookId);

    @DELETE
    @Path("/{webhook_id}")
    JsonNode delete(@PathParam("webhook_id") String webhookId);

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode replay(XRequests.Replay request);
}
