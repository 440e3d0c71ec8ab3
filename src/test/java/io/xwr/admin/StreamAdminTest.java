package io.xwr.admin;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.xwr.replay.WebhookRegistrar;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The filtered stream's rules and links, through the admin API, against the X simulator. */
@QuarkusTest
class StreamAdminTest {
    private final XSimulator sim = XSimulatorResource.simulator();

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    @Inject
    WebhookRegistrar registrar;

    @AfterEach
    void docsShape() {
        sim.answerLinksAsArray(false);
    }

    @Test
    void rulesXRefusesComeBackWithXsReasonsAndTheOthersAreAdded() {
        String tag = "t" + randomId();
        String good = "from:" + randomId() + " lang:en";
        String other = "#x" + randomId();

        // When: two good rules, one X cannot parse, one X already has
        admin().contentType("application/json")
                .body("{\"add\":[{\"value\":\"" + good + "\",\"tag\":\"" + tag + "\"}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(200)
                .body("meta.summary.created", equalTo(1));
        admin().contentType("application/json")
                .body("{\"add\":[{\"value\":\"" + other + "\"},{\"value\":\"(cats OR dogs\"},{\"value\":\"" + good
                        + "\"}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:xwr:problem:x-rules-refused"))
                .body("errors.title", equalTo(List.of("UnprocessableEntity", "DuplicateRule")))
                .body("errors[0].detail", containsString("parentheses"))
                .body("data.value", equalTo(List.of(other)))
                .body("meta.summary.not_created", equalTo(2));

        // Then
        admin().get("/admin/x/stream/rules")
                .then()
                .statusCode(200)
                .body("data.value", hasItem(good))
                .body("data.value", hasItem(other))
                .body("data.find { it.value == '" + good + "' }.tag", equalTo(tag));
        assertFalse(sim.streamRules().containsValue("(cats OR dogs"));
    }

    @Test
    void aDryRunValidatesWithoutAddingAndDeletesNameTheirIds() {
        String value = "\"exact phrase " + randomId() + "\"";

        admin().contentType("application/json")
                .queryParam("dryRun", true)
                .body("{\"add\":[{\"value\":" + quoted(value) + "}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(200)
                .body("meta.summary.valid", equalTo(1));
        admin().contentType("application/json")
                .queryParam("dryRun", true)
                .body("{\"add\":[{\"value\":\"nosuch:thing\"}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(422)
                .body("errors[0].detail", containsString("nosuch"));
        assertFalse(sim.streamRules().containsValue(value), "a dry run adds nothing");

        String id = admin().contentType("application/json")
                .body("{\"add\":[{\"value\":" + quoted(value) + "}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        admin().contentType("application/json")
                .body("{\"delete\":{\"ids\":[\"" + id + "\",\"1\"]}}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(422)
                .body("meta.summary.deleted", equalTo(1))
                .body("errors[0].id", equalTo("1"));
        assertFalse(sim.streamRules().containsKey(id));
    }

    @Test
    void malformedRuleChangesNeverReachX() {
        for (String body : List.of(
                "{}",
                "{\"add\":[],\"delete\":{\"ids\":[\"1\"]}}",
                "{\"add\":[]}",
                "{\"add\":[{\"value\":\" \"}]}",
                "{\"add\":[{\"value\":\"" + "a".repeat(2049) + "\"}]}",
                "{\"delete\":{\"ids\":[\"x1\"]}}")) {
            admin().contentType("application/json")
                    .body(body)
                    .post("/admin/x/stream/rules")
                    .then()
                    .statusCode(400);
        }
        given().contentType("application/json")
                .body("{\"add\":[{\"value\":\"a\"}]}")
                .post("/admin/x/stream/rules")
                .then()
                .statusCode(401);
    }

    @Test
    void linksAreCreatedWithCheckedFieldsAndReadInBothOfXsShapes() {
        String hook = sim.existingWebhook(webhookUrl + "?stream=" + randomId(), true);

        // When
        admin().contentType("application/json")
                .body("{\"webhookId\":\"" + hook + "\",\"fields\":{\"tweet.fields\":[\"created_at\",\"author_id\"],"
                        + "\"expansions\":[\"author_id\"],\"user.fields\":[\"username\",\"name\"]}}")
                .post("/admin/x/stream/links")
                .then()
                .statusCode(201)
                .body("provisioned", equalTo(true));

        // Then: X's listing splits the values; both documented shapes are read
        assertEquals(
                List.of("expansions=author_id", "tweet.fields=author_id", "created_at", "user.fields=name", "username"),
                sim.streamLinks().get(hook));
        for (boolean asArray : List.of(false, true)) {
            sim.answerLinksAsArray(asArray);
            admin().get("/admin/x/stream/links")
                    .then()
                    .statusCode(200)
                    .body("webhookId", hasItem(hook))
                    .body("find { it.webhookId == '" + hook + "' }.fields", hasItem("created_at"));
        }
        // and fields X does not know are refused here
        admin().contentType("application/json")
                .body("{\"webhookId\":\"" + hook + "\",\"fields\":{\"tweet.fields\":[\"colour\"],\"bogus\":[\"x\"]}}")
                .post("/admin/x/stream/links")
                .then()
                .statusCode(400)
                .body("detail", containsString("tweet.fields has no field colour"))
                .body("detail", containsString("unknown parameter bogus"));
        // and a link goes
        admin().delete("/admin/x/stream/links/" + hook).then().statusCode(204);
        admin().get("/admin/x/stream/links").then().statusCode(200).body("webhookId", not(hasItem(hook)));
        admin().delete("/admin/x/stream/links/" + hook).then().statusCode(404);
    }

    @Test
    void theConfiguredLinkIsKeptWithTheConfiguredFields() {
        // Given: the webhook is linked with other fields than configured (the test profile configures none)
        String hook = sim.existingWebhook(webhookUrl + "?keep=" + randomId(), true);
        admin().contentType("application/json")
                .body("{\"webhookId\":\"" + hook + "\",\"fields\":{\"tweet.fields\":[\"lang\"]}}")
                .post("/admin/x/stream/links")
                .then()
                .statusCode(201);

        // When / Then: off unless configured (xwr.stream.link)
        assertEquals(WebhookRegistrar.LinkOutcome.OFF, registrar.ensureStreamLink(hook));
        assertTrue(sim.streamLinks().get(hook).contains("tweet.fields=lang"));
        // with fields to keep: linked again with them, then left alone
        java.util.Map<String, List<String>> wanted =
                java.util.Map.of("tweet.fields", List.of("created_at", "lang"), "expansions", List.of("author_id"));
        assertEquals(WebhookRegistrar.LinkOutcome.RELINKED, registrar.ensureStreamLink(hook, wanted));
        assertEquals(
                List.of("expansions=author_id", "tweet.fields=created_at", "lang"),
                sim.streamLinks().get(hook));
        assertEquals(WebhookRegistrar.LinkOutcome.ALREADY_LINKED, registrar.ensureStreamLink(hook, wanted));
        String fresh = sim.existingWebhook(webhookUrl + "?fresh=" + randomId(), true);
        assertEquals(WebhookRegistrar.LinkOutcome.LINKED, registrar.ensureStreamLink(fresh, wanted));
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\\\"") + "\"";
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token-0123456789abcdef");
    }
}
