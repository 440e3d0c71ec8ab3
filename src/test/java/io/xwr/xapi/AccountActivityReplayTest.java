package io.xwr.xapi;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The deprecated Account Activity replay endpoint, still offered as an option (spec 5.6). */
@QuarkusTest
@TestProfile(AccountActivityReplayTest.AaaReplay.class)
class AccountActivityReplayTest {
    @Inject
    XApi x;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private final XSimulator sim = XSimulatorResource.simulator();

    @Test
    void readsTheV1ErrorCodesOfTheAccountActivityApi() {
        // Given: X answers the AAA replay the v1.1 way, a code and a sentence (spec 5.6, legacy error table)
        String hook = sim.existingWebhook(webhookUrl + "?aaa-legacy=" + randomId(), false);
        sim.answerNext(
                "POST",
                "/2/account_activity/replay/webhooks/" + hook + "/subscriptions/all",
                400,
                "{\"errors\":[{\"code\":214,\"message\":\"Webhook is marked invalid and requires a CRC check.\"}]}");
        Instant from = Instant.now().minus(Duration.ofMinutes(60)).truncatedTo(ChronoUnit.MINUTES);

        // When
        XApiException.Rejected refused = org.junit.jupiter.api.Assertions.assertThrows(
                XApiException.Rejected.class, () -> x.replay(hook, from, from.plus(Duration.ofMinutes(5))));

        // Then: named as the v2 API names it, so the scheduler re-validates the webhook as it would for v2
        assertEquals(400, refused.status());
        assertEquals("CrcValidationFailed", refused.reason());
    }

    @Test
    void replaysThroughTheAccountActivityEndpointWithAnExclusiveEnd() {
        // Given: one delivery X failed to make 40 minutes ago
        Db db = new Db(dataSource);
        String hook = sim.existingWebhook(webhookUrl + "?aaa=" + randomId(), true);
        String account = randomId();
        Instant past = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.MINUTES);
        sim.useClock(Clock.fixed(past.plusSeconds(30), ZoneOffset.UTC));
        try {
            sim.deliveryFailed(hook, tweet(account, randomId()));
        } finally {
            sim.useClock(Clock.systemUTC());
        }
        long before = sim.calls("POST", "/2/account_activity/replay/webhooks/" + hook + "/subscriptions/all");

        // When: the window [past, past + 1 min) holds it
        ReplayJob job = x.replay(hook, past, past.plus(Duration.ofMinutes(1)));

        // Then
        assertEquals(
                before + 1, sim.calls("POST", "/2/account_activity/replay/webhooks/" + hook + "/subscriptions/all"));
        assertEquals(job.jobId(), sim.replayJobs(hook).getLast());
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", account) == 1);
    }

    public static class AaaReplay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xwr.x.replay-api", "account-activity");
        }
    }
}
