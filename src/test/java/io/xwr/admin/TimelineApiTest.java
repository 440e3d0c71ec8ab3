package io.xwr.admin;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.xwr.testing.Deliveries;
import io.xwr.testing.XSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/timeline}: what the replicas measured per minute, with gaps and replay windows to mark. */
@QuarkusTest
class TimelineApiTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";

    @Test
    void deliveriesShowInTheCurrentMinuteWithTheirLatencyAndAGapIsMarked() {
        long before = deliveriesInTheLastHour();
        for (int i = 0; i < 3; i++) {
            byte[] body = tweet(randomId(), randomId());
            Deliveries.post(body, XSigner.sign(body)).statusCode(200);
        }
        Instant now = Instant.now();
        given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(Map.of(
                        "from",
                                now.minusSeconds(3000 + new java.util.Random().nextInt(600))
                                        .toString(),
                        "to", now.minusSeconds(1200).toString()))
                .post("/admin/replays")
                .then()
                .statusCode(202);

        // the replicas' samples (every 2 s in tests) carry the three deliveries and their latency
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deliveriesInTheLastHour() >= before + 3);
        JsonPath timeline = hour();
        assertEquals(60, timeline.getLong("bucketSeconds"));
        List<Map<String, Object>> points = timeline.getList("points");
        // a minute with deliveries has its latency (a new minute may have begun with none yet)
        List<Map<String, Object>> busy = points.stream()
                .filter(p -> ((Number) p.get("deliveries")).longValue() > 0)
                .toList();
        assertFalse(busy.isEmpty(), points.toString());
        for (Map<String, Object> point : busy) {
            double p50 = ((Number) point.get("ackP50Ms")).doubleValue();
            double p99 = ((Number) point.get("ackP99Ms")).doubleValue();
            assertTrue(p50 > 0 && p50 <= p99, point.toString());
        }
        List<Map<String, Object>> windows = timeline.getList("windows");
        assertTrue(
                windows.stream().anyMatch(w -> "gap".equals(w.get("kind")) && "MANUAL".equals(w.get("label"))),
                windows.toString());
        // a day in quarters of an hour holds the same deliveries
        JsonPath day = given().header("Authorization", "Bearer " + TOKEN)
                .get("/admin/timeline?range=day")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(900, day.getLong("bucketSeconds"));
        assertTrue(day.getList("points.deliveries", Long.class).stream()
                        .mapToLong(Long::longValue)
                        .sum()
                >= before + 3);
    }

    @Test
    void anUnknownRangeIsAClearError() {
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/admin/timeline?range=week")
                .then()
                .statusCode(400)
                .body("detail", equalTo("range must be hour or day."));
        given().get("/admin/timeline").then().statusCode(401);
    }

    private static JsonPath hour() {
        return given().header("Authorization", "Bearer " + TOKEN)
                .get("/admin/timeline?range=hour")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static long deliveriesInTheLastHour() {
        return hour().getList("points.deliveries", Long.class).stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
