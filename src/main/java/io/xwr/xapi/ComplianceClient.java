package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** X's batch compliance jobs ({@code /2/compliance/jobs}), app-only bearer. */
@RegisterRestClient(configKey = "x-api")
@RegisterClientHeaders(XBearer.class)
@RegisterProvider(XApiErrors.class)
@Path("/2/compliance/jobs")
@Produces(MediaType.APPLICATION_JSON)
public interface ComplianceClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(XRequests.CreateComplianceJob request);

    @GET
    @Path("/{id}")
    JsonNode get(@PathParam("id") String id);
}
