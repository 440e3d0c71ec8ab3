package io.xwr.ingress;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The database goes away: nothing is acknowledged that is not durable, and X's retry lands after recovery. */
@QuarkusTest
class DatabaseOutageTest {
    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @Test
    void answers503WhileTheDatabaseIsDownAndStoresXsRetryAfterItReturns() {
        // Given
        Db db = new Db(dataSource);
        String postId = randomId();
        byte[] body = tweet("2244994945", postId);
        String key = "aaa:2244994945:tweet:" + postId;

        // When the database stops
        PostgresResource.stopDatabase();
        try {
            post(body, XSigner.sign(body))
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("type", equalTo("urn:xwr:problem:storage-unavailable"));
            // CRCs are answered from memory, so the webhook stays valid through the outage.
            given().when()
                    .get("/webhooks/x?crc_token=foo")
                    .then()
                    .statusCode(200)
                    .body("response_token", equalTo("sha256=KGwPHQJPaVoxk5RWMCZXvu7ppQqe20ugPzzV9ed1O3o="));
            // and the pod stays in the Service: readiness reports the database as data and stays UP
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !given().get(readiness)
                            .then()
                            .extract()
                            .jsonPath()
                            .getBoolean("checks.find { it.name == 'database' }.data.reachable"));
            given().get(readiness).then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            PostgresResource.startDatabase();
        }

        // Then X's retry is stored once the database is back, without restarting the service
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> post(body, XSigner.sign(body)).extract().statusCode() == 200);
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().get(readiness)
                        .then()
                        .extract()
                        .jsonPath()
                        .getBoolean("checks.find { it.name == 'database' }.data.reachable"));
        assertEquals(1, db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", Deliveries.sha256(body)));
    }
}
