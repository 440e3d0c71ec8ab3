package io.xwr.reliability;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.Deliveries;
import io.xwr.testing.KafkaBrokerResource;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.ReliabilityReport;
import io.xwr.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a pod whose relay is inside a Kafka transaction, then the pod starting again under the same name (a
 * container restart keeps the pod name): its relay's transactional id is the same, so it fences the dead relay's
 * open transaction at once. Consumers reading committed records get every acknowledged event long before the
 * transaction timeout (5 minutes here) would have aborted it; with an id of its own per start they would wait.
 */
class TransactionFencingIT {
    private static final PostgresResource POSTGRES = new PostgresResource();
    private static final KafkaBrokerResource KAFKA = new KafkaBrokerResource();
    private static final String POD = "x-webhook-receiver-7d9f8-" + randomId();
    /** Longer than the test waits: only fencing can end the dead relay's transaction in time. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(5);

    private static Map<String, String> db;

    @BeforeAll
    static void start() {
        db = POSTGRES.start();
        KAFKA.start();
    }

    @AfterAll
    static void stop() {
        KAFKA.stop();
        POSTGRES.stop();
    }

    @Test
    void aRestartedPodFencesItsKilledRelaysOpenTransaction() throws Exception {
        String topic = "fencing-" + randomId();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (Admin admin = Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers()));
                CloudEventsConsumer consumer = new CloudEventsConsumer(topic)) {
            // Given: the pod killed while its relay's transaction is open (tried again if the kill fell between two)
            int attempts = 0;
            boolean open = false;
            while (!open && attempts++ < 5) {
                ServiceProcess pod = ServiceProcess.start(List.of(timeout()), db, env(topic));
                try {
                    open = killInsideATransaction(pod, admin, topic, acknowledged);
                } finally {
                    pod.close();
                }
            }
            assertTrue(open, "the kill never met an open transaction in " + attempts + " tries");

            // When: the pod starts again under its name
            Instant restart = Instant.now();
            try (ServiceProcess again = ServiceProcess.start(List.of(timeout()), db, env(topic))) {
                // Then: the dead relay's transaction is aborted at once, and every acknowledged event is readable
                Set<String> expected = new TreeSet<>(acknowledged);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !uncommitted(admin, topic));
                consumer.pollUntil(
                        r -> r.stream()
                                .map(CloudEventsConsumer.Received::id)
                                .toList()
                                .containsAll(expected),
                        Duration.ofSeconds(90));
                Duration readable = Duration.between(restart, Instant.now());
                assertTrue(
                        readable.compareTo(TRANSACTION_TIMEOUT.dividedBy(2)) < 0,
                        "consumers waited " + readable + ": the open transaction was not fenced");
                report(attempts, expected.size(), readable);
            }
        }
    }

    /**
     * Loads the pod until its relay's transaction has written records not yet committed, kills it there, and
     * answers whether such records were still pending after the kill.
     */
    private static boolean killInsideATransaction(
            ServiceProcess pod, Admin admin, String topic, Set<String> acknowledged) throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        HttpClient http = ServiceProcess.trustingClient();
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                loops.add(senders.submit(() -> {
                    String account = randomId();
                    while (sending.get()) {
                        String post = randomId();
                        byte[] body = tweet(account, post);
                        try {
                            int status = http.send(
                                            Deliveries.signedRequest(pod.webhook(), body),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            if (status == 200) {
                                acknowledged.add("aaa:" + account + ":tweet:" + post);
                            }
                        } catch (IOException e) {
                            return; // the pod died with this request in flight: X would retry it
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean killed = false;
            try {
                while (!killed && System.nanoTime() < deadline) {
                    if (acknowledged.size() > 200 && uncommitted(admin, topic)) {
                        pod.kill();
                        killed = true;
                    }
                }
            } finally {
                sending.set(false);
            }
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            // records of the dead relay's transaction are in the log, neither committed nor aborted
            return killed && uncommitted(admin, topic);
        }
    }

    /**
     * Whether records of an open transaction hold back {@code read_committed} readers of the topic: a partition
     * whose last stable offset is behind its high watermark.
     */
    private static boolean uncommitted(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        try {
            for (var p : admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()) {
                partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            return false; // the relay has not created the topic yet
        }
        var stable = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(5, TimeUnit.SECONDS);
        var written = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .all()
                .get(5, TimeUnit.SECONDS);
        return partitions.keySet().stream()
                .anyMatch(tp -> stable.get(tp).offset() < written.get(tp).offset());
    }

    private static Map<String, String> env(String topic) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBrokerResource.bootstrapServers());
        env.put("XWR_OUTBOX_TOPIC", topic);
        env.put("XWR_COVERAGE_REPLICA_ID", POD); // k8s/base/deployment.yaml: the pod's name
        return env;
    }

    private static String timeout() {
        return "-Dkafka.transaction.timeout.ms=" + TRANSACTION_TIMEOUT.toMillis();
    }

    private static void report(int attempts, int events, Duration readable) throws IOException {
        ReliabilityReport.write(
                "fencing",
                String.format(
                        "| kill -9 inside a Kafka transaction, pod restarted under its name | %,d acknowledged events"
                                + " | all readable (read_committed) %.1f s after the restart, transaction timeout"
                                + " %d s | %d kill(s) to meet an open transaction |%n",
                        events, readable.toMillis() / 1000.0, TRANSACTION_TIMEOUT.toSeconds(), attempts));
    }
}
