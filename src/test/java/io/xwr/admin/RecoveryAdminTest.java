package io.xwr.admin;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The operator API over gaps, replays, webhooks and subscriptions, against the X simulator. */
@QuarkusTest
class RecoveryAdminTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private final XSimulator sim = XSimulatorResource.simulator();

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void managesAWebhookThroughXWithOurOwnCrc() {
        String url = webhookUrl + "?admin=" + randomId();

        String id = admin().contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\"}")
                .post("/admin/x/webhooks")
                .then()
                .statusCode(201)
                .body("valid", equalTo(true))
                .body("url", equalTo(url))
                .extract()
                .path("id");
        admin().get("/admin/x/webhooks").then().statusCode(200).body("id", hasItem(id));
        sim.invalidate(id);
        admin().put("/admin/x/webhooks/" + id).then().statusCode(200).body("valid", equalTo(true));
        admin().get("/admin/x/webhooks/" + id + "/subscriptions")
                .then()
                .statusCode(200)
                .body("userIds.size()", equalTo(0));
        admin().post("/admin/x/webhooks/" + id + "/subscriptions").then().statusCode(501);
        admin().delete("/admin/x/webhooks/" + id).then().statusCode(204);
        admin().get("/admin/x/webhooks").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void xsRefusalReachesTheOperatorWithXsReason() {
        admin().contentType(ContentType.JSON)
                .body("{\"url\":\"" + webhookUrl.toString().replace("/webhooks/x", "/nothing-here") + "\"}")
                .post("/admin/x/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("X answered 400 CrcValidationFailed."));
        admin().delete("/admin/x/webhooks/42")
                .then()
                .statusCode(400)
                .body("detail", equalTo("X answered 400 WebhookIdInvalid."));
    }

    @Test
    void managesActivitySubscriptions() {
        String id = admin().contentType(ContentType.JSON)
                .body("{\"event_type\":\"profile.update.bio\",\"filter\":{\"user_id\":\"2244994945\"},\"tag\":\"ops\"}")
                .post("/admin/x/subscriptions")
                .then()
                .statusCode(201)
                .body("eventType", equalTo("profile.update.bio"))
                .body("userId", equalTo("2244994945"))
                .extract()
                .path("id");
        admin().get("/admin/x/subscriptions").then().statusCode(200).body("id", hasItem(id));
        admin().delete("/admin/x/subscriptions/" + id).then().statusCode(204);
        admin().get("/admin/x/subscriptions").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void xsRateLimitIsPassedOnWithRetryAfter() {
        sim.rateLimitNext(Instant.now().plusSeconds(2));

        admin().get("/admin/x/subscriptions")
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json");

        // and after X's reset the call goes through again
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> admin().get("/admin/x/subscriptions").statusCode() == 200);
    }

    @Test
    void aReplayRequestedByHandBecomesAGapToRecover() {
        Instant from = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        Instant to = from.plus(Duration.ofMinutes(20));

        admin().contentType(ContentType.JSON)
                .body("{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}")
                .post("/admin/replays")
                .then()
                .statusCode(202)
                .body("recorded", equalTo(true));
        admin().get("/admin/gaps?limit=500")
                .then()
                .statusCode(200)
                .body("findAll { it.cause == 'MANUAL' }.window.from", hasItem(from.toString()));
        admin().get("/admin/replays").then().statusCode(200);
    }

    @Test
    void aReplayWindowXWouldRefuseIsABadRequest() {
        Instant now = Instant.now();
        for (String body : new String[] {
            "{\"from\":\"yesterday\",\"to\":\"today\"}",
            "{\"from\":\"" + now.minusSeconds(60) + "\",\"to\":\"" + now.minusSeconds(120) + "\"}",
            "{\"from\":\"" + now.minus(Duration.ofHours(30)) + "\",\"to\":\"" + now.minus(Duration.ofHours(29)) + "\"}",
            "{\"from\":\"" + now.minusSeconds(60) + "\",\"to\":\"" + now.plusSeconds(600) + "\"}",
            "{}"
        }) {
            admin().contentType(ContentType.JSON)
                    .body(body)
                    .post("/admin/replays")
                    .then()
                    .statusCode(400);
        }
    }

    @Test
    void everyRecoveryEndpointNeedsTheToken() {
        for (String path :
                new String[] {"/admin/gaps", "/admin/replays", "/admin/x/webhooks", "/admin/x/subscriptions"}) {
            given().get(path).then().statusCode(401);
        }
    }
}
