package io.xwr.accounts;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connecting an X account end to end against the X simulator: the authorize URL with PKCE (S256), X's redirect
 * back with a code, the exchange, the user's lookup, tokens stored encrypted, subscriptions created with the
 * user's token for private events and the app's for public ones; state and code are single-use.
 */
@QuarkusTest
class OnboardingTest {
    private final XSimulator sim = XSimulatorResource.simulator();

    @TestHTTPResource(value = "/", tls = true)
    URL service;

    @jakarta.inject.Inject
    AgroalDataSource dataSource;

    @Test
    void anOperatorConnectsAnAccountAndItsPrivateActivityIsSubscribed() throws Exception {
        // Given
        String user = randomId();
        sim.authorizingUser(user);

        // When: the operator starts, the user consents at X, X sends the browser back
        String authorize = admin().contentType("application/json")
                .body("{\"eventTypes\":[\"post.mention.create\",\"dm.received\",\"profile.update.bio\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(200)
                .body("authorizeUrl", startsWith(sim.baseUrl() + "/i/oauth2/authorize?response_type=code"))
                .body("authorizeUrl", containsString("code_challenge_method=S256"))
                .body("authorizeUrl", containsString("scope=dm.read%20offline.access%20tweet.read%20users.read"))
                .extract()
                .path("authorizeUrl");
        String callback = xRedirect(authorize);
        HttpResponse<String> landed = get(callback);

        // Then: connected, subscribed, tokens stored encrypted and never shown
        assertEquals(200, landed.statusCode(), landed.body());
        assertTrue(landed.body().contains("Connected X account " + user), landed.body());
        assertTrue(landed.body().contains("post.mention.create, dm.received, profile.update.bio"), landed.body());
        admin().get("/admin/x/accounts")
                .then()
                .statusCode(200)
                .body("find { it.userId == '" + user + "' }.state", org.hamcrest.Matchers.equalTo("CONNECTED"))
                .body(org.hamcrest.Matchers.not(containsString("at-")))
                .body(org.hamcrest.Matchers.not(containsString("rt-")));
        Db db = new Db(dataSource);
        String stored = (String) db.single("SELECT access_token FROM x_account WHERE user_id = ?", user);
        assertTrue(stored.startsWith("v1:"), "encrypted at rest");
        assertFalse(stored.contains("at-"));
        List<String> tokens = sim.issuedTokens(user);
        assertEquals(2, tokens.size(), "an access and a refresh token");
        for (String token : tokens) {
            assertEquals(List.of(), db.tablesContaining(token), "no token in clear anywhere");
        }

        // and the same callback again (a replayed state) connects nothing
        HttpResponse<String> again = get(callback);
        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("Unknown or already used state"), again.body());
    }

    @Test
    void aForgedOrDeclinedCallbackConnectsNothing() throws Exception {
        assertEquals(
                400,
                get(origin() + "/oauth/x/callback?state=forged&code=code-1").statusCode());
        HttpResponse<String> declined = get(origin() + "/oauth/x/callback?error=access_denied&state=x");
        assertEquals(400, declined.statusCode());
        assertFalse(declined.body().contains("access_denied"), "nothing of the request is echoed");
        admin().contentType("application/json")
                .body("{\"eventTypes\":[\"not an event\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body("{\"eventTypes\":[\"dm.received\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(401);
    }

    @Test
    void aCodeOlderThanXsThirtySecondsConnectsNothing() throws Exception {
        // Given: the user consented, but the callback reaches the service 31 s later by X's clock
        String user = randomId();
        sim.authorizingUser(user);
        String authorize = admin().contentType("application/json")
                .body("{\"eventTypes\":[\"dm.received\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(200)
                .extract()
                .path("authorizeUrl");
        String callback = xRedirect(authorize);
        java.time.Instant late = java.time.Instant.now().plusSeconds(31);
        sim.useClock(java.time.Clock.fixed(late, java.time.ZoneOffset.UTC));
        try {
            // When
            HttpResponse<String> landed = get(callback);

            // Then
            assertEquals(400, landed.statusCode());
            assertTrue(landed.body().contains("X refused the code"), landed.body());
            assertEquals(0, new Db(dataSource).count("SELECT count(*) FROM x_account WHERE user_id = ?", user));
            assertEquals(List.of(), sim.activitySubscriptionsOf(user));
        } finally {
            sim.useClock(java.time.Clock.systemUTC());
        }
    }

    @jakarta.inject.Inject
    TokenRefresher refresher;

    @Test
    void tokensAreRefreshedOnceAcrossReplicasAndARefusalNeedsReauthorization() throws Exception {
        // Given: a connected account whose access token expires within the hour
        String user = randomId();
        connect(user, "dm.received");
        Db db = new Db(dataSource);
        String before = (String) db.single("SELECT refresh_token FROM x_account WHERE user_id = ?", user);

        // When: two replicas refresh at once, two hours later
        java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofHours(2));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var a = pool.submit(() -> refresher.refreshDue(later));
            var b = pool.submit(() -> refresher.refreshDue(later));
            a.get();
            b.get();
        }

        // Then: X was asked once (its refresh tokens rotate: a second ask would have failed), and the new pair is
        // stored
        assertEquals(1, sim.refreshesOf(user));
        assertFalse(before.equals(db.single("SELECT refresh_token FROM x_account WHERE user_id = ?", user)));
        assertEquals("CONNECTED", db.single("SELECT state FROM x_account WHERE user_id = ?", user));

        // When: the user revoked the app at X; the next refresh is refused
        sim.revokeRefreshTokens(user);
        refresher.refreshDue(later.plus(java.time.Duration.ofHours(2)));

        // Then
        admin().get("/admin/x/accounts")
                .then()
                .statusCode(200)
                .body(
                        "find { it.userId == '" + user + "' }.state",
                        org.hamcrest.Matchers.equalTo("NEEDS_REAUTHORIZATION"))
                .body("find { it.userId == '" + user + "' }.note", containsString("connect again"));
        assertEquals(
                0, db.count("SELECT count(*) FROM x_account WHERE user_id = ? AND access_token IS NOT NULL", user));
    }

    @Test
    void disconnectingDeletesTheSubscriptionsAtXAndTheTokens() throws Exception {
        String user = randomId();
        connect(user, "dm.received");
        assertEquals(List.of("dm.received"), sim.activitySubscriptionsOf(user));

        admin().delete("/admin/x/accounts/" + user).then().statusCode(204);

        assertEquals(List.of(), sim.activitySubscriptionsOf(user));
        assertEquals(0, new Db(dataSource).count("SELECT count(*) FROM x_account WHERE user_id = ?", user));
        admin().delete("/admin/x/accounts/" + user).then().statusCode(404);
    }

    @Test
    void aSubscriptionXNoLongerHasIsCreatedAgainWithTheUsersToken() throws Exception {
        // Given: a connected account whose subscription is gone at X
        String user = randomId();
        connect(user, "dm.received");
        String id = admin().get("/admin/x/subscriptions")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.userId == '" + user + "' }.id");
        admin().delete("/admin/x/subscriptions/" + id).then().statusCode(204);
        admin().get("/admin/x/accounts")
                .then()
                .body("find { it.userId == '" + user + "' }.subscriptions", org.hamcrest.Matchers.empty());

        // When
        admin().post("/admin/x/accounts/" + user + "/resubscribe")
                .then()
                .statusCode(200)
                .body("subscribed", org.hamcrest.Matchers.equalTo(List.of("dm.received")));

        // Then: created again (X refuses private subscriptions with the app's token: it was the user's)
        assertEquals(List.of("dm.received"), sim.activitySubscriptionsOf(user));
        admin().get("/admin/x/accounts")
                .then()
                .body(
                        "find { it.userId == '" + user + "' }.subscriptions",
                        org.hamcrest.Matchers.equalTo(List.of("dm.received")));
        admin().post("/admin/x/accounts/" + user + "/resubscribe")
                .then()
                .statusCode(200)
                .body("subscribed", org.hamcrest.Matchers.empty());
    }

    @Test
    void aRevocationPurgesTheAccountsTokens() throws Exception {
        String user = randomId();
        connect(user, "dm.received");

        io.xwr.testing.Deliveries.deliver("{\"data\":{\"event_uuid\":\"" + randomId()
                + "\",\"filter\":{},\"event_type\":\"oauth.revoke\",\"payload\":{\"date_time\":\""
                + java.time.Instant.now().plusSeconds(5) + "\",\"user_id\":\"" + user + "\",\"app_id\":\"1\"}}}");

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> new Db(dataSource).count("SELECT count(*) FROM x_account WHERE user_id = ?", user) == 0);
        // and its subscriptions at X with it
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> sim.activitySubscriptionsOf(user).isEmpty());
    }

    private void connect(String user, String eventType) throws Exception {
        sim.authorizingUser(user);
        String authorize = admin().contentType("application/json")
                .body("{\"eventTypes\":[\"" + eventType + "\"]}")
                .post("/admin/x/accounts/connect")
                .then()
                .statusCode(200)
                .extract()
                .path("authorizeUrl");
        assertEquals(200, get(xRedirect(authorize)).statusCode());
    }

    /** X's authorize page answers with a redirect to the registered callback; it is followed to this service. */
    private String xRedirect(String authorize) throws Exception {
        HttpResponse<String> consent = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(302, consent.statusCode());
        String location = consent.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("https://localhost/oauth/x/callback?state="), location);
        return location.replace("https://localhost", origin());
    }

    private String origin() {
        return service.toString().replaceAll("/$", "");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return io.xwr.testing.ServiceProcess.trustingClient()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token-0123456789abcdef");
    }
}
