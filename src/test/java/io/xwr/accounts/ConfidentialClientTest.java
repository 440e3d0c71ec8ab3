package io.xwr.accounts;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.testing.ServiceProcess;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A confidential OAuth client (Web App, bot) authenticates its code exchange with Basic auth. */
@QuarkusTest
@TestProfile(ConfidentialClientTest.Confidential.class)
class ConfidentialClientTest {
    private final XSimulator sim = XSimulatorResource.simulator();

    @TestHTTPResource(value = "/", tls = true)
    URL service;

    @Test
    void aConfidentialClientConnectsWithBasicAuth() throws Exception {
        String user = randomId();
        sim.authorizingUser(user);
        int before = sim.confidentialExchanges();
        String authorize = given().header("Authorization", "Bearer test-admin-token-0123456789abcdef")
                .contentType("application/json")
                .body("{\"eventTypes\":[\"dm.received\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(200)
                .extract()
                .path("authorizeUrl");
        String location = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .headers()
                .firstValue("Location")
                .orElseThrow();

        HttpResponse<String> landed = ServiceProcess.trustingClient()
                .send(
                        HttpRequest.newBuilder(URI.create(location.replace(
                                        "https://localhost", service.toString().replaceAll("/$", ""))))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(200, landed.statusCode(), landed.body());
        assertEquals(before + 1, sim.confidentialExchanges());
        assertEquals(List.of("dm.received"), sim.activitySubscriptionsOf(user));
        assertFalse(landed.body().contains(XSimulator.CLIENT_SECRET));
        assertTrue(landed.body().contains(user));
    }

    public static class Confidential implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xwr.x.oauth.client-secret", XSimulator.CLIENT_SECRET);
        }
    }
}
