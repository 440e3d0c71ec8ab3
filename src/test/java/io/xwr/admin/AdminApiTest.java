package io.xwr.admin;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.deliver;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The operator read API: bearer-protected, filtered, paged. */
@QuarkusTest
class AdminApiTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";

    @Inject
    MeterRegistry registry;

    @Test
    void refusesRequestsWithoutTheBearerToken() {
        given().when()
                .get("/admin/events")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"xwr-admin\"")
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong-token")
                .when()
                .get("/admin/events")
                .then()
                .statusCode(401);
        given().header("Authorization", "Basic " + TOKEN)
                .when()
                .get("/admin/deliveries/1")
                .then()
                .statusCode(401);
    }

    /** Staleness: how long since X last checked the webhook, in the status and as a metric to alert on. */
    @Test
    void reportsTheTimeSinceTheLastCrc() {
        // Given
        given().queryParam("crc_token", "stale").get("/webhooks/x").then().statusCode(200);

        // Then: once the CRC pulse is stored (5 s) and the gauge refreshed (15 s)
        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> admin().get("/admin/status").then().extract().path("secondsSinceLastCrc") != null);
        admin().get("/admin/status")
                .then()
                .statusCode(200)
                .body("secondsSinceLastCrc", lessThan(60))
                .body("lastCrcAnswer", notNullValue());
        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var gauge = registry.find("xwr.crc.since.last").gauge();
                    return gauge != null && !Double.isNaN(gauge.value()) && gauge.value() < 120;
                });
    }

    @Test
    void filtersEventsByAccountAndTypeAndPagesNewestFirst() {
        // Given: three posts and one follow for a fresh account
        String account = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        Instant start = Instant.now().minusSeconds(1);
        for (int i = 1; i <= 3; i++) {
            deliver("{\"for_user_id\":\"" + account + "\",\"tweet_create_events\":[{\"id_str\":\"" + account + i
                    + "\",\"text\":\"post " + i + "\",\"user\":{\"id_str\":\"" + account
                    + "\"},\"timestamp_ms\":\"1747663306000\"}]}");
        }
        deliver("{\"for_user_id\":\"" + account
                + "\",\"follow_events\":[{\"type\":\"follow\",\"created_timestamp\":\"1586216143967\","
                + "\"source\":{\"id\":\"" + account + "\"},\"target\":{\"id\":\"1693649419\"}}]}");

        // When / Then: filtered by account
        admin().queryParam("account", account)
                .get("/admin/events")
                .then()
                .statusCode(200)
                .body("items", hasSize(4))
                .body("items.accountId", everyItem(equalTo(account)))
                .body("items[0].type", equalTo("user.followed"))
                .body("nextBefore", nullValue());

        // by type, two per page
        Integer cursor = admin().queryParam("account", account)
                .queryParam("type", "post.created")
                .queryParam("limit", 2)
                .get("/admin/events")
                .then()
                .statusCode(200)
                .body(
                        "items.key",
                        contains(
                                "aaa:" + account + ":tweet:" + account + 3, "aaa:" + account + ":tweet:" + account + 2))
                .body("items[0].payload", notNullValue())
                .body("nextBefore", notNullValue())
                .extract()
                .path("nextBefore");
        admin().queryParam("account", account)
                .queryParam("type", "post.created")
                .queryParam("limit", 2)
                .queryParam("before", cursor)
                .get("/admin/events")
                .then()
                .body("items.key", contains("aaa:" + account + ":tweet:" + account + 1))
                .body("nextBefore", nullValue());

        // by time
        admin().queryParam("account", account)
                .queryParam("since", start.toString())
                .get("/admin/events")
                .then()
                .body("items", hasSize(4));
        admin().queryParam("account", account)
                .queryParam("until", start.toString())
                .get("/admin/events")
                .then()
                .body("items", hasSize(0));
    }

    @Test
    void refusesMalformedQueries() {
        admin().queryParam("since", "yesterday").get("/admin/events").then().statusCode(400);
        admin().queryParam("limit", 0).get("/admin/events").then().statusCode(400);
        admin().queryParam("limit", 501).get("/admin/events").then().statusCode(400);
        admin().queryParam("limit", "ten").get("/admin/events").then().statusCode(400);
        admin().queryParam("before", "x").get("/admin/events").then().statusCode(400);
        admin().get("/admin/deliveries/abc").then().statusCode(404);
    }

    @Test
    void showsADeliveryWithItsBodyAndTheEventsItAdded() {
        // Given
        String id = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        String body = "{\"for_user_id\":\"55\",\"tweet_delete_events\":[{\"status\":{\"id\":\"" + id
                + "\",\"user_id\":\"55\"},\"timestamp_ms\":\"1432228155593\"}]}";
        deliver(body);
        Integer deliveryId = admin().queryParam("account", "55")
                .queryParam("type", "post.deleted")
                .get("/admin/events")
                .then()
                .extract()
                .path("items[0].deliveryId");

        // When / Then
        admin().get("/admin/deliveries/" + deliveryId)
                .then()
                .statusCode(200)
                .body("family", equalTo("AAA"))
                .body("projection", equalTo("PROJECTED"))
                .body("bodyEncoding", equalTo("utf-8"))
                .body("body", equalTo(body))
                .body("headers.'content-type'", equalTo("application/json"))
                .body("newEventKeys", contains("aaa:55:delete:" + id));
        admin().get("/admin/deliveries/999999999").then().statusCode(404);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }
}
