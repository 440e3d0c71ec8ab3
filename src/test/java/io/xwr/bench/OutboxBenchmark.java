package io.xwr.bench;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.KafkaBrokerResource;
import io.xwr.testing.XSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Outbox figures for docs/benchmarks.md, against the real PostgreSQL and Kafka the tests start: publish lag
 * (the 200 that follows the commit, to the record reaching a consumer) at a steady rate, and the relay's
 * throughput draining a backlog. Run with {@code bench/outbox.sh}; never part of {@code ./mvnw verify}.
 */
@QuarkusTest
@Tag("benchmark")
class OutboxBenchmark {
    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int BACKLOG = Integer.getInteger("bench.backlog", 10_000);

    @TestHTTPResource("/webhooks/x")
    URI webhook;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void measuresPublishLagAndRelayThroughput() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(lag());
        report.append(throughput());
        Path out = Path.of("target/bench/outbox.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);
    }

    /**
     * Steady load: RATE deliveries per second over 50 accounts. Lag per event = first sight by a consumer that
     * polls all along, minus the moment its 200 arrived (the commit happened just before).
     */
    private String lag() throws Exception {
        Map<String, Long> acked = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        Histogram lag = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        int total = RATE * SECONDS;
        try (CloudEventsConsumer consumer = new CloudEventsConsumer("x.activity");
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            warmUp(consumer);
            consumer.onReceive(r -> seen.putIfAbsent(r.id(), System.nanoTime()));
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicBoolean giveUp = new AtomicBoolean();
            Thread poller = Thread.ofPlatform().start(() -> {
                while (!giveUp.get() && (sending.get() || !seen.keySet().containsAll(acked.keySet()))) {
                    consumer.pollFor(Duration.ofMillis(50));
                }
            });
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
            java.util.List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < total; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String account = "9" + (i % 50);
                String postId = randomId();
                sends.add(pool.submit(() -> {
                    send(tweet(account, postId));
                    acked.put("aaa:" + account + ":tweet:" + postId, System.nanoTime());
                    return null;
                }));
            }
            for (var f : sends) {
                f.get();
            }
            sending.set(false);
            poller.join(Duration.ofSeconds(60));
            giveUp.set(true);
            poller.join();
            long missing =
                    acked.keySet().stream().filter(k -> !seen.containsKey(k)).count();
            if (missing > 0) {
                throw new IllegalStateException(missing + " acknowledged events never reached Kafka within 60 s");
            }
            acked.forEach((key, ackNanos) ->
                    lag.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(seen.get(key) - ackNanos))));
        }
        return String.format(
                "| publish lag at %d deliveries/s for %d s (%d events, 50 accounts) | p50 %.1f ms | p99 %.1f ms | max %.1f ms |%n",
                RATE,
                SECONDS,
                total,
                lag.getValueAtPercentile(50) / 1000.0,
                lag.getValueAtPercentile(99) / 1000.0,
                lag.getMaxValue() / 1000.0);
    }

    /** A backlog built while Kafka is unreachable, then drained: events per second from first to last record. */
    private String throughput() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        String run = randomId();
        try (CloudEventsConsumer consumer = new CloudEventsConsumer("x.activity")) {
            consumer.pollFor(Duration.ofSeconds(2));
            KafkaBrokerResource.disconnectBroker();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Semaphore inFlight = new Semaphore(16);
                for (int i = 0; i < BACKLOG; i++) {
                    String account = run.substring(0, 12) + (1000 + i % 200);
                    String postId = randomId();
                    inFlight.acquire();
                    pool.submit(() -> {
                        try {
                            send(tweet(account, postId));
                            sent.incrementAndGet();
                        } finally {
                            inFlight.release();
                        }
                        return null;
                    });
                }
            } finally {
                KafkaBrokerResource.reconnectBroker();
            }
            long[] first = {0};
            long[] last = {0};
            int[] count = {0};
            consumer.pollUntil(
                    received -> {
                        long n = received.stream()
                                .filter(r -> r.key() != null && r.key().startsWith(run.substring(0, 12)))
                                .count();
                        if (n > 0 && first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                        if (n > count[0]) {
                            count[0] = (int) n;
                            last[0] = System.nanoTime();
                        }
                        return n >= sent.get();
                    },
                    Duration.ofMinutes(5));
            double seconds = (last[0] - first[0]) / 1e9;
            return String.format(
                    "| relay throughput, backlog of %d events drained | %.0f events/s | %.1f s from first to last record | |%n",
                    BACKLOG, count[0] / Math.max(seconds, 1e-3), seconds);
        }
    }

    /** Creates the topic, joins the group and warms the JIT before anything is measured. */
    private void warmUp(CloudEventsConsumer consumer) throws Exception {
        String account = randomId();
        for (int i = 0; i < 200; i++) {
            send(tweet(account, randomId()));
        }
        consumer.pollUntil(r -> r.stream().filter(e -> account.equals(e.key())).count() >= 200, Duration.ofSeconds(60));
    }

    private void send(byte[] body) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(
                HttpRequest.newBuilder(webhook)
                        .header("Content-Type", "application/json")
                        .header("x-twitter-webhooks-signature", XSigner.sign(body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("delivery answered " + response.statusCode());
        }
    }
}
