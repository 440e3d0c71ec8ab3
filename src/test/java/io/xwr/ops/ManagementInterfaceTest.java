package io.xwr.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management port; the webhook port does not serve them. */
@QuarkusTest
class ManagementInterfaceTest {
    /** The management root already carries /q (quarkus.http.non-application-root-path). */
    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void servesProbesOnTheManagementPort() {
        given().when()
                .get(health + "/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        given().when().get(health + "/live").then().statusCode(200);
        given().when().get(health + "/started").then().statusCode(200);
    }

    @Test
    void servesMetricsOnTheManagementPort() {
        given().when().get(metrics.toString()).then().statusCode(200);
    }

    @Test
    void theApplicationPortServesNeitherHealthNorMetrics() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
    }
}
