package io.xwr.bench;

import io.xwr.testing.KafkaBrokerResource;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.ServiceProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end with Kafka on: the packaged service on the embedded PostgreSQL, publishing to the in-JVM Kafka
 * broker, takes X-shaped posts (each from a fresh account, so the Kafka key names the delivery) at a fixed rate
 * for a while, open loop. Measures the ack latency, POST-to-Kafka latency (due time of the POST to the record
 * reaching a read_committed consumer), how far the projection and relay fell behind, how long they took to
 * drain after the load stopped, and the service's and the database's CPU per delivery through to Kafka.
 * Run with {@code bench/e2e.sh}; never part of {@code ./mvnw verify}. The broker and the generator share the
 * machine with the service: on two cores their CPU is the service's headroom.
 */
@Tag("benchmark")
class EndToEndBenchmark {
    private static final int RATE = Integer.getInteger("bench.rate", 2_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 60);
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 20);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 64);
    private static final String TOPIC = "bench-e2e";
    private static final Pattern ACCOUNT = Pattern.compile("\"for_user_id\":\"(\\d+)\"");

    /** When each account's delivery was due, by account id (one delivery per account). */
    private final Map<String, Long> due = new ConcurrentHashMap<>();

    private final Recorder toKafka = new Recorder(3);
    private final AtomicLong published = new AtomicLong();

    @Test
    void keepsUpThroughToKafka() throws Exception {
        PostgresResource postgres = new PostgresResource();
        Map<String, String> db = postgres.start();
        KafkaBrokerResource kafka = new KafkaBrokerResource();
        kafka.start();
        AtomicBoolean consuming = new AtomicBoolean(true);
        String report;
        try (ServiceProcess service = ServiceProcess.start(
                        BenchJvm.options(),
                        db,
                        Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                KafkaBrokerResource.bootstrapServers(),
                                "XWR_OUTBOX_TOPIC",
                                TOPIC));
                ExecutorService background = Executors.newSingleThreadExecutor()) {
            Future<?> consumer = background.submit(() -> consume(consuming));
            int dbPort = URI.create(db.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()))
                    .getPort();
            List<Long> server = List.of(service.pid());
            List<Http1Connection> connections = new ArrayList<>();
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    connections.add(new Http1Connection(service.webhook()));
                }
                send(connections, Math.min(RATE, 1_000), WARM_UP, new Recorder(3), new AtomicLong());
                long warmed = (long) Math.min(RATE, 1_000) * WARM_UP;
                awaitPublished(warmed, Duration.ofMinutes(3));
                toKafka.reset();

                if (Boolean.getBoolean("bench.pg-statements")) {
                    PgStatements.reset(db);
                }
                double serverBefore = CpuTime.seconds(server);
                // The pool opens connections as it needs them: backends started later count from their start.
                Map<Long, Double> databaseBefore = CpuTime.perProcess(CpuTime.postgres(dbPort));
                long before = published.get();
                Recorder acks = new Recorder(3);
                AtomicLong errors = new AtomicLong();
                AtomicLong maxBehind = new AtomicLong();
                long started = System.nanoTime();
                Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        long sentSoFar = (System.nanoTime() - started) * RATE / 1_000_000_000L;
                        maxBehind.accumulateAndGet(sentSoFar - (published.get() - before), Math::max);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    }
                });
                send(connections, RATE, SECONDS, acks, errors);
                long sendEnded = System.nanoTime();
                long total = (long) RATE * SECONDS;
                awaitPublished(before + total - errors.get(), Duration.ofMinutes(5));
                watcher.interrupt();
                if (Boolean.getBoolean("bench.pg-statements")) {
                    PgStatements.write(db, Path.of("target/bench/pg-statements-e2e.md"));
                }
                double drain = (System.nanoTime() - sendEnded) / 1e9;
                long delivered = total - errors.get();
                double serverUs = (CpuTime.seconds(server) - serverBefore) * 1e6 / delivered;
                double databaseUs = CpuTime.since(databaseBefore, CpuTime.postgres(dbPort)) * 1e6 / delivered;
                Histogram ack = acks.getIntervalHistogram();
                Histogram kafkaLag = toKafka.getIntervalHistogram();
                report = String.format(
                        "| measure (%,d/s for %d s, open loop, %d connections, Kafka on) | value |%n"
                                + "| --- | --- |%n"
                                + "| deliveries acknowledged (not 200) | %,d (%,d) |%n"
                                + "| ack latency p50 / p99 / p99.9 | %.1f / %.1f / %.1f ms |%n"
                                + "| POST to Kafka (read_committed consumer) p50 / p99 / max | %.0f / %.0f / %.0f ms |%n"
                                + "| most deliveries not yet on Kafka during the run | %,d (%.1f s of traffic) |%n"
                                + "| drained after the last POST | %.1f s |%n"
                                + "| CPU per delivery through to Kafka: service + PostgreSQL | %.0f + %.0f = %.0f µs |%n",
                        RATE,
                        SECONDS,
                        CONNECTIONS,
                        delivered,
                        errors.get(),
                        ms(ack.getValueAtPercentile(50)),
                        ms(ack.getValueAtPercentile(99)),
                        ms(ack.getValueAtPercentile(99.9)),
                        ms(kafkaLag.getValueAtPercentile(50)),
                        ms(kafkaLag.getValueAtPercentile(99)),
                        ms(kafkaLag.getMaxValue()),
                        maxBehind.get(),
                        maxBehind.get() / (double) RATE,
                        drain,
                        serverUs,
                        databaseUs,
                        serverUs + databaseUs);
            } finally {
                connections.forEach(Http1Connection::close);
                consuming.set(false);
                consumer.get(10, TimeUnit.SECONDS);
            }
        } finally {
            kafka.stop();
            postgres.stop();
        }
        Path out = Path.of("target/bench/e2e.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("\n" + report);
    }

    /** Keys only: the record's key is the account, and each account sent one delivery. */
    private void consume(AtomicBoolean consuming) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(TOPIC));
            while (consuming.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Long sent = due.remove(r.key());
                    if (sent != null) {
                        toKafka.recordValue(Math.max(0, System.nanoTime() - sent));
                        published.incrementAndGet();
                    }
                }
            }
        }
    }

    private void awaitPublished(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (published.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + published.get() + " of " + count + " published within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /**
     * RATE deliveries per second for SECONDS over the connections: sender k owns slots k, k + N, ...; latency
     * counts from the due time (no coordinated omission).
     */
    private void send(List<Http1Connection> connections, int rate, int seconds, Recorder acks, AtomicLong errors)
            throws Exception {
        int n = connections.size();
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        try (ExecutorService senders = Executors.newFixedThreadPool(n)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int first = k;
                loops.add(senders.submit(() -> {
                    Http1Connection connection = connections.get(first);
                    for (long slot = first; slot < total; slot += n) {
                        long at = begin + slot * interval;
                        long wait = at - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        byte[] body = RealisticPosts.delivery();
                        Matcher account = ACCOUNT.matcher(new String(body, 0, 64, StandardCharsets.UTF_8));
                        if (!account.find()) {
                            throw new IllegalStateException("no account in the delivery");
                        }
                        due.put(account.group(1), at);
                        if (connection.deliver(body) != 200) {
                            due.remove(account.group(1));
                            errors.incrementAndGet();
                        }
                        acks.recordValue(Math.max(0, System.nanoTime() - at));
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get(seconds + 300L, TimeUnit.SECONDS);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
