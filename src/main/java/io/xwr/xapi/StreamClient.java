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
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/** The filtered stream's rules and its links to webhooks (spec 9.1), app-only bearer. */
@RegisterRestClient(configKey = "x-api")
@RegisterClientHeaders(XBearer.class)
@RegisterProvider(XApiErrors.class)
@Path("/2/tweets/search")
@Produces(MediaType.APPLICATION_JSON)
public interface StreamClient {

    @GET
    @Path("/stream/rules")
    JsonNode rules();

    /** {@code {"add":[...]}} or {@code {"delete":{"ids":[...]}}}; {@code dry_run} validates without changing. */
    @POST
    @Path("/stream/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode changeRules(@QueryParam("dry_run") Boolean dryRun, JsonNode change);

    @GET
    @Path("/webhooks")
    JsonNode links();

    /** Links the app's stream to the webhook, with the fields each delivered post carries (query parameters). */
    @POST
    @Path("/webhooks/{webhook_id}")
    JsonNode link(@PathParam("webhook_id") String webhookId, @RestQuery Map<String, String> fields);

    @DELETE
    @Path("/webhooks/{webhook_id}")
    JsonNode unlink(@PathParam("webhook_id") String webhookId);
}
