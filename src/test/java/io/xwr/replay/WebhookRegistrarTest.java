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
                        Clock.systemUTC()),
                new WebhookRegistrar(
                        x,
                        new LeaderJobs(leases, Replica.named("start-b-" + randomId())),
                        config,
                        stream,
                        Clock.systemUTC()));

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
