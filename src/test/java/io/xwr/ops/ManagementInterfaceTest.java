package io.xwr.ops;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.XSigner;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Health, metrics and OpenAPI live on the management port; the webhook port does not serve them. */
@QuarkusTest
class ManagementInterfaceTest {
    /** The management root already carries /q (quarkus.http.non-application-root-path). */
    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void servesProbesOnTheManagementPort() {
        given().when()
                .get(health + "/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"));
        given().when().get(health + "/live").then().statusCode(200);
        given().when().get(health + "/started").then().statusCode(200);
    }

    @Test
    void exportsWhatOperatorsWatch() {
        // Given: one accepted delivery, one forged one and one CRC
        String account = randomId();
        byte[] body = tweet(account, randomId());
        double accepted = sample("xwr_deliveries_total\\{outcome=\"accepted\"}");
        double posts = sample("xwr_events_total\\{family=\"aaa\",type=\"post.created\"}");
        post(body, XSigner.sign(body)).statusCode(200);
        post(body, "sha256=AAAA").statusCode(401);
        given().queryParam("crc_token", "metrics").get("/webhooks/x").then().statusCode(200);

        // Then: the counters moved, the latency histogram has buckets, and the recovery gauges are exported
        assertTrue(sample("xwr_deliveries_total\\{outcome=\"accepted\"}") >= accepted + 1);
        // events are counted by the projection, behind the 200
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> sample("xwr_events_total\\{family=\"aaa\",type=\"post.created\"}") >= posts + 1);
        assertTrue(sample("xwr_signature_failures_total\\{reason=\"signature-malformed\"}") >= 1);
        assertTrue(sample("xwr_crc_answers_total\\{outcome=\"answered\"}") >= 1);
        assertTrue(sample("xwr_delivery_ack_seconds_count\\{outcome=\"accepted\"}") >= 1);
        assertTrue(scrape().contains("xwr_delivery_ack_seconds_bucket{outcome=\"accepted\",le="));
        for (String gauge : List.of("xwr_outbox_pending", "xwr_outbox_parked", "xwr_outbox_lag_seconds")) {
            assertTrue(sample(gauge) >= 0, gauge);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> scrape().contains("xwr_gaps{state=\"waiting\"}")
                        && scrape().contains("xwr_replay_jobs{state=\"submitted\"}"));
    }

    @Test
    void describesTheAdminApiInOpenApi() {
        given().accept("application/json")
                .when()
                .get(openapi)
                .then()
                .statusCode(200)
                .body("info.title", equalTo("x-webhook-receiver admin API"))
                .body("paths", hasKey("/admin/events"))
                .body("paths", hasKey("/admin/replays"))
                .body("paths", not(hasKey("/webhooks/x")))
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"));
    }

    @Test
    void theApplicationPortServesNeitherHealthNorMetrics() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get("/q/openapi").then().statusCode(404);
    }

    private String scrape() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The value of the first sample whose name and labels match, or fails when none is exported. */
    private double sample(String nameAndLabels) {
        String text = scrape();
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            if (!nameAndLabels.contains("{")) {
                throw new AssertionError("no sample " + nameAndLabels);
            }
            return 0; // a counter not yet incremented is not exported
        }
        return Double.parseDouble(m.group(1));
    }
}
