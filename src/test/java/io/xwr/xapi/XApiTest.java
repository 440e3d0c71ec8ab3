package io.xwr.xapi;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** The one X API bean against the X simulator: real HTTP, real CRCs against this service, injected faults. */
@QuarkusTest
class XApiTest {
    @Inject
    XApi x;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private final XSimulator sim = XSimulatorResource.simulator();

    @Test
    void registersValidatesListsAndDeletesAWebhookWhileXChecksOurCrc() {
        // When: X runs a CRC against this service before it accepts the registration
        Webhook hook = x.registerWebhook(webhookUrl + "?app=" + randomId());

        // Then
        assertTrue(hook.valid());
        assertTrue(x.webhooks().stream().anyMatch(w -> w.id().equals(hook.id()) && w.valid()));
        sim.invalidate(hook.id());
        assertFalse(x.webhooks().stream()
                .filter(w -> w.id().equals(hook.id()))
                .findFirst()
                .orElseThrow()
                .valid());
        assertTrue(x.validateWebhook(hook.id()), "a passing CRC re-enables the webhook");
        assertTrue(sim.valid(hook.id()));
        x.deleteWebhook(hook.id());
        assertTrue(x.webhooks().stream().noneMatch(w -> w.id().equals(hook.id())));
    }

    @Test
    void aRegistrationWhoseCrcFailsIsRefusedWithXsReasonAndNotRetried() {
        long before = sim.calls("POST", "/2/webhooks");

        XApiException.Rejected refused = assertThrows(
                XApiException.Rejected.class,
                () -> x.registerWebhook(webhookUrl.toString().replace("/webhooks/x", "/nowhere")));

        assertEquals(400, refused.status());
        assertEquals("CrcValidationFailed", refused.reason());
        assertEquals(before + 1, sim.calls("POST", "/2/webhooks"));
    }

    @Test
    void replayReDeliversTheWindowAndDuplicatesAddNothing() {
        // Given: two deliveries X made 40 minutes ago, already stored
        Db db = new Db(dataSource);
        String hook = sim.existingWebhook(webhookUrl + "?replay=" + randomId(), true);
        String account = randomId();
        Instant past = Instant.now().minus(Duration.ofMinutes(40));
        sim.useClock(java.time.Clock.fixed(past, java.time.ZoneOffset.UTC));
        try {
            assertEquals(200, sim.deliver(hook, tweet(account, randomId())));
            assertEquals(200, sim.deliver(hook, tweet(account, randomId())));
        } finally {
            sim.useClock(java.time.Clock.systemUTC());
        }
        long events = db.awaitProjected().count("SELECT count(*) FROM activity_event WHERE account_id = ?", account);
        assertEquals(2, events);

        // When
        long deliveries = db.deliveries();
        Instant from = past.truncatedTo(ChronoUnit.MINUTES);
        ReplayJob job = x.replay(hook, from, from.plus(Duration.ofMinutes(2)));

        // Then: both deliveries come again, the job reports completion, and no event is added twice
        assertFalse(job.jobId().isBlank());
        String done = "replay:" + hook + ":" + job.jobId() + ":Complete";
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", done) == 1);
        assertEquals(deliveries + 3, db.deliveries());
        assertEquals(2, db.count("SELECT count(*) FROM activity_event WHERE account_id = ?", account));
    }

    @Test
    void aConflictIsNotRetried() {
        sim.failNext(409, 1);
        long before = sim.calls().size();

        XApiException.Rejected conflict = assertThrows(XApiException.Rejected.class, () -> x.activitySubscriptions());

        assertEquals(409, conflict.status());
        assertEquals(before + 1, sim.calls().size());
    }

    @Test
    void serverErrorsAreRetriedWithBackOff() {
        sim.failNext(503, 2);
        long before = sim.calls("GET", "/2/activity/subscriptions");

        x.activitySubscriptions();

        assertEquals(before + 3, sim.calls("GET", "/2/activity/subscriptions"));
    }

    @Test
    void a429HoldsTheEndpointUntilXsResetTime() {
        // Given
        String id = x.createActivitySubscription(new XRequests.CreateSubscription(
                        "profile.update.bio", new XRequests.Filter("2244994945", null, null), "t", null))
                .id();
        Instant reset = Instant.now().plusSeconds(3);
        sim.rateLimitNext(reset);
        long before = sim.calls().size();

        // When
        XApiException.RateLimited limited =
                assertThrows(XApiException.RateLimited.class, () -> x.deleteActivitySubscription(id));

        // Then: nothing more reaches X before the reset, then the call goes through
        assertEquals(reset.getEpochSecond(), limited.resetAt().getEpochSecond());
        assertThrows(XApiException.RateLimited.class, () -> x.deleteActivitySubscription(id));
        assertEquals(before + 1, sim.calls().size());
        Awaitility.await()
                .pollInterval(Duration.ofMillis(250))
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(XApiException.RateLimited.class)
                .until(() -> {
                    x.deleteActivitySubscription(id);
                    return true;
                });
        assertTrue(x.activitySubscriptions().stream().noneMatch(s -> s.id().equals(id)));
    }

    @Test
    void a429HoldsOnlyTheEndpointXRefused() {
        // Given: X refuses a CRC trigger (PUT /2/webhooks/:id) until its reset
        String hook = sim.existingWebhook(webhookUrl + "?per-endpoint=" + randomId(), true);
        sim.rateLimitNext("PUT", "/2/webhooks/" + hook, Instant.now().plusSeconds(3));
        assertThrows(XApiException.RateLimited.class, () -> x.validateWebhook(hook));

        // When / Then: the same endpoint waits for the reset, the others of /2/webhooks do not
        long before = sim.calls().size();
        assertThrows(XApiException.RateLimited.class, () -> x.validateWebhook(hook));
        assertEquals(before, sim.calls().size(), "nothing sent to the held endpoint");
        assertTrue(x.webhooks().stream().anyMatch(w -> w.id().equals(hook)), "GET /2/webhooks still answers");
        assertEquals(before + 1, sim.calls().size());
        // and the held one goes again after the reset (which also leaves the shared limits as they were)
        Awaitility.await()
                .pollInterval(Duration.ofMillis(250))
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(XApiException.RateLimited.class)
                .until(() -> x.validateWebhook(hook));
    }

    @Test
    void theBreakerOpensOnRepeated5xxAndClosesAfterwards() {
        // Given: X fails every attempt (each call makes 4 with its retries; all count in the breaker's window)
        String hook = sim.existingWebhook(webhookUrl + "?breaker=" + randomId(), true);
        sim.failNext(500, 40);
        int calls = 0;
        boolean open = false;
        while (!open && calls < 5) {
            calls++;
            try {
                x.accountActivitySubscriptions(hook);
            } catch (XApiException.Unavailable e) {
                // retried and still failing
            } catch (CircuitBreakerOpenException e) {
                open = true;
            }
        }
        assertTrue(open, "the breaker opened after repeated 5xx");
        assertTrue(calls <= 3, "opened within the first calls, not after " + calls);
        sim.clearFaults();
        long before = sim.calls().size();

        // When / Then: open, nothing reaches X
        assertThrows(CircuitBreakerOpenException.class, () -> x.accountActivitySubscriptions(hook));
        assertEquals(before, sim.calls().size());

        // and after the breaker's delay a call goes through and closes it
        sim.subscribeUser(hook, "2244994945");
        Awaitility.await()
                .pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(CircuitBreakerOpenException.class)
                .until(() -> x.accountActivitySubscriptions(hook).contains("2244994945"));
        assertEquals(java.util.List.of("2244994945"), x.accountActivitySubscriptions(hook));
    }
}
