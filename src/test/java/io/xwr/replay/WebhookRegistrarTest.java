package io.xwr.replay;

import static io.xwr.testing.Deliveries.randomId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.config.ReplayConfig;
import io.xwr.coverage.LeaderJobs;
import io.xwr.coverage.Leases;
import io.xwr.coverage.Replica;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import io.xwr.xapi.XApi;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ensuring the webhook registration at start-up: idempotent, one replica at a time. */
@QuarkusTest
class WebhookRegistrarTest {
    @Inject
    WebhookRegistrar registrar;

    @Inject
    XApi x;

    @Inject
    Leases leases;

    @Inject
    Replica replica;

    @Inject
    ReplayConfig config;

    @Inject
    io.xwr.config.StreamConfig stream;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL webhookUrl;

    private final XSimulator sim = XSimulatorResource.simulator();

    @BeforeEach
    void freeLease() {
        leases.release(WebhookRegistrar.LEASE, replica.id());
    }

    @Test
    void registersOnceThenFindsItValidAndReValidatesItWhenXMarksItInvalid() {
        String url = webhookUrl + "?ensure=" + randomId();
        Instant now = Instant.now();

        assertEquals(WebhookRegistrar.Outcome.REGISTERED, registrar.ensure(url, now));
        assertEquals(1.0, validGauge());
        assertEquals(WebhookRegistrar.Outcome.ALREADY_VALID, registrar.ensure(url, now));
        String id = x.webhooks().stream()
                .filter(w -> w.url().equals(url))
                .findFirst()
                .orElseThrow()
                .id();
        sim.invalidate(id);
        assertEquals(WebhookRegistrar.Outcome.REVALIDATED, registrar.ensure(url, now));
        assertTrue(sim.valid(id));
        assertEquals(1, x.webhooks().stream().filter(w -> w.url().equals(url)).count());
        assertEquals(1.0, validGauge());
    }

    /** A webhook whose CRC keeps failing shows as invalid to the alert (k8s/components/monitoring). */
    @Test
    void aWebhookThatStaysInvalidIsExportedAsInvalid() {
        String url = "https://127.0.0.1:1/webhooks/x?unreachable=" + randomId();
        sim.existingWebhook(url, false);
        // an hour on: past the lease another test's replicas took for their "now + 10 minutes"

        assertEquals(
                WebhookRegistrar.Outcome.STILL_INVALID,
                registrar.ensure(url, Instant.now().plusSeconds(3600)));
        assertEquals(0.0, validGauge());
    }

    private double validGauge() {
        return registry.get("xwr.webhook.valid").gauge().value();
    }

    @Test
    void twoReplicasStartingTogetherRegisterOnce() throws Exception {
        String url = webhookUrl + "?together=" + randomId();
        Instant now = Instant.now();
        List<WebhookRegistrar> replicas = List.of(
                new WebhookRegistrar(
                        x,
                        new LeaderJobs(leases, Replica.named("start-a-" + randomId())),
                        config,
                        stream,
                        Clock.systemUTC(),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new WebhookRegistrar(
                        x,
                        new LeaderJobs(leases, Replica.named("start-b-" + randomId())),
                        config,
                        stream,
                        Clock.systemUTC(),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));

        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<WebhookRegistrar.Outcome>> outcomes = replicas.stream()
                    .map(r -> pool.submit(() -> r.ensure(url, now.plusSeconds(600))))
                    .toList();
            List<WebhookRegistrar.Outcome> results = new java.util.ArrayList<>();
            for (Future<WebhookRegistrar.Outcome> o : outcomes) {
                results.add(o.get(30, TimeUnit.SECONDS));
            }
            assertTrue(results.contains(WebhookRegistrar.Outcome.REGISTERED), results.toString());
            assertTrue(results.contains(WebhookRegistrar.Outcome.NOT_LEADER), results.toString());
        }
        assertEquals(1, x.webhooks().stream().filter(w -> w.url().equals(url)).count());
    }
}
