package io.xwr.ingress;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
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
        db.awaitProjected();
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

    @Test
    void answers503WithinTheCommitWaitWhenTheDatabaseHangsAndKeepsTheLateCommit() throws Exception {
        // Given: the raw log is locked, so the delivery's insert waits rather than fails
        Db db = new Db(dataSource);
        String postId = randomId();
        byte[] body = tweet("2244994945", postId);
        String key = "aaa:2244994945:tweet:" + postId;
        long took;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE raw_delivery IN EXCLUSIVE MODE");
            }

            // When X delivers
            long started = System.nanoTime();
            post(body, XSigner.sign(body))
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:xwr:problem:storage-unavailable"));
            took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            lock.rollback();
        }

        // Then the answer came at the commit wait (3 s in tests), before the request deadline (6 s) closed anything
        assertTrue(took >= 2_500 && took < 6_000, "answered after " + took + " ms");
        // and the insert that was waiting still commits; X's retry is then a duplicate delivery of one event
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", Deliveries.sha256(body))
                                == 1);
        post(body, XSigner.sign(body)).statusCode(200);
        db.awaitProjected();
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key));
    }
}
