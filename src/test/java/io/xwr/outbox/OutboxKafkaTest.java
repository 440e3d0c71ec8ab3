package io.xwr.outbox;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.deliver;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.CloudEventsConsumer.Received;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.KafkaBrokerResource;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ApiKeys;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Signed deliveries to CloudEvents on a real Kafka broker, through the outbox. */
@QuarkusTest
class OutboxKafkaTest {
    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    private static final String TOPIC = "x.activity";
    /** Records the test hands the publisher itself: not the relay's, so not on the relay's topic. */
    private static final String PUBLISHER_TOPIC = "x.activity.publisher-test";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    CloudEventMapping mapping;

    @Inject
    MeterRegistry registry;

    @Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    @Inject
    Clock clock;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Test
    void publishesASignedDeliveryAsACloudEventKeyedByAccount() throws Exception {
        // Given
        String account = randomId();
        String postId = randomId();
        String key = "aaa:" + account + ":tweet:" + postId;

        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // When
            post(tweet(account, postId), XSigner.sign(tweet(account, postId))).statusCode(200);

            // Then
            Received event = consumer.pollUntil(r -> ids(r, account).contains(key), Duration.ofSeconds(30)).stream()
                    .filter(r -> key.equals(r.id()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(account, event.key());
            assertEquals("io.xwr.post.created", event.type());
            // an absolute URI: the test profile configures no webhook URL, which would be the source otherwise
            assertEquals("urn:x-webhook-receiver", event.source());
            // a trace context is carried under both names even with export off (no OTLP endpoint is configured
            // here, config.TracingSwitch), and no span is exported
            assertTrue(event.traceparent().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), event.traceparent());
            assertEquals(event.traceparent(), event.w3cTraceparent());
            assertEquals(List.of(), spans.getFinishedSpanItems());
            assertEquals(
                    "https://raw.githubusercontent.com/example/x-webhook-receiver/main/docs/schemas/post.created.json",
                    event.dataschema());
            assertEquals(account, event.subject());
            assertEquals("1.0", event.specVersion());
            assertEquals("application/json", event.contentType());
            assertEquals("2025-05-19T14:01:46Z", event.time());
            JsonNode body = JSON.readTree(event.body());
            assertEquals(key, body.path("key").asText());
            assertEquals("post.created", body.path("type").asText());
            assertEquals(postId, body.path("data").path("postId").asText());
            assertEquals("hello " + postId, body.path("data").path("text").asText());
            // X's object, read from the raw delivery at publish time (found by id and receipt time)
            assertEquals(postId, body.path("source").path("id_str").asText(), event.body());
        }
        Db db = new Db(dataSource);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key) == 0);
    }

    @Test
    void aDirectMessageIsPublishedWithTheUsersAndAppItRefersTo() throws Exception {
        // Given: an AAA DM (spec 7.8) whose envelope names both people, the sending app and a third user
        String account = randomId();
        String friend = randomId();
        String message = randomId();
        String key = "aaa:" + account + ":dm:" + message;
        String dm = "{\"for_user_id\":\"" + account + "\",\"direct_message_events\":[{\"type\":\"message_create\","
                + "\"id\":\"" + message + "\",\"created_timestamp\":\"1764590000000\",\"message_create\":{\"target\":"
                + "{\"recipient_id\":\"" + account + "\"},\"sender_id\":\"" + friend
                + "\",\"source_app_id\":\"13090192\","
                + "\"message_data\":{\"text\":\"hi\"}}}],\"apps\":{\"13090192\":{\"id\":\"13090192\",\"name\":\"App\"}},"
                + "\"users\":{\"" + friend + "\":{\"id\":\"" + friend + "\",\"screen_name\":\"friend\"},\"" + account
                + "\":{\"id\":\"" + account + "\",\"screen_name\":\"me\"},\"42\":{\"id\":\"42\"}}}";

        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // When
            deliver(dm);

            // Then
            Received event = consumer.pollUntil(r -> ids(r, account).contains(key), Duration.ofSeconds(30)).stream()
                    .filter(r -> key.equals(r.id()))
                    .findFirst()
                    .orElseThrow();
            JsonNode envelope = JSON.readTree(event.body()).path("envelope");
            assertEquals(
                    "friend",
                    envelope.path("users").path(friend).path("screen_name").asText(),
                    event.body());
            assertEquals(
                    "me",
                    envelope.path("users").path(account).path("screen_name").asText());
            assertFalse(envelope.path("users").has("42"), "a user the message does not name stays out");
            assertEquals(
                    "App", envelope.path("apps").path("13090192").path("name").asText());
        }
    }

    @Test
    void aStreamPostMatchedAgainForOtherRulesKeepsEveryRuleAndIsPublishedOnce() throws Exception {
        // Given: a post delivered through one link, then through another that names another rule
        String post = randomId();
        String author = randomId();
        String first = "{\"data\":{\"id\":\"" + post + "\",\"text\":\"t\",\"author_id\":\"" + author + "\","
                + "\"edit_history_tweet_ids\":[\"" + post + "\"]},\"matching_rules\":[{\"id\":\"11\",\"tag\":\"a\"}]}";
        String second = "{\"data\":{\"id\":\"" + post + "\",\"text\":\"t\",\"author_id\":\"" + author + "\","
                + "\"edit_history_tweet_ids\":[\"" + post + "\"]},\"matching_rules\":[{\"id\":\"12\",\"tag\":\"b\","
                + "\"embedding_similarity\":0.82,\"embedding_threshold\":0.3}]}";

        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // When
            deliver(first);
            deliver(second);

            // Then: the stored event has both rules, and Kafka got the post once
            Db db = new Db(dataSource).awaitProjected();
            JsonNode stored = JSON.readTree(
                    (String) db.single("SELECT payload FROM activity_event WHERE event_key = ?", "stream:" + post));
            assertEquals("11", stored.at("/data/rules/0/id").asText());
            assertEquals("12", stored.at("/data/rules/1/id").asText());
            assertEquals(0.82, stored.at("/data/rules/1/embeddingSimilarity").asDouble());
            consumer.pollUntil(r -> ids(r, author).contains("stream:" + post), Duration.ofSeconds(30));
            assertEquals(
                    1,
                    consumer.pollFor(Duration.ofSeconds(2)).stream()
                            .filter(r -> ("stream:" + post).equals(r.id()))
                            .count());
        }
    }

    @Test
    void repeatedDeliveryAndCompliancePublishOnceEach() {
        String account = randomId();
        String postId = randomId();
        byte[] body = tweet(account, postId);
        String delete = "{\"for_user_id\":\"" + account + "\",\"tweet_delete_events\":[{\"status\":{\"id\":\"" + postId
                + "\",\"user_id\":\"" + account + "\"},\"timestamp_ms\":\"1432228155593\"}]}";

        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            post(body, XSigner.sign(body)).statusCode(200);
            post(body, XSigner.sign(body)).statusCode(200);
            deliver(delete);
            post(body, XSigner.sign(body)).statusCode(200);

            consumer.pollUntil(r -> ids(r, account).size() >= 2, Duration.ofSeconds(30));
            List<Received> all = consumer.pollFor(Duration.ofSeconds(2));
            List<Received> mine =
                    all.stream().filter(r -> account.equals(r.key())).toList();

            assertEquals(
                    List.of("io.xwr.post.created", "io.xwr.post.deleted"),
                    mine.stream().map(Received::type).toList());
        }
    }

    @Test
    void keepsEachAccountsOrderAcrossABurst() throws Exception {
        // Given: five accounts, forty posts each, accounts in parallel, each account's posts in sequence
        List<String> accounts = List.of(randomId(), randomId(), randomId(), randomId(), randomId());
        Map<String, List<String>> sent = new HashMap<>();
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC);
                ExecutorService pool = Executors.newFixedThreadPool(accounts.size())) {
            List<Future<?>> senders = new ArrayList<>();
            for (String account : accounts) {
                List<String> keys = new ArrayList<>();
                sent.put(account, keys);
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String postId = randomId();
                        byte[] body = tweet(account, postId);
                        post(body, XSigner.sign(body)).statusCode(200);
                        keys.add("aaa:" + account + ":tweet:" + postId);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(60, TimeUnit.SECONDS);
            }

            // When
            List<Received> received = consumer.pollUntil(
                    r -> accounts.stream().allMatch(a -> ids(r, a).size() >= 40), Duration.ofSeconds(60));

            // Then
            for (String account : accounts) {
                assertEquals(sent.get(account), ids(received, account), "order of " + account);
            }
        }
    }

    @Test
    void brokerOutageMidBurstLosesAndDuplicatesNothing() throws Exception {
        // Given
        List<String> accounts = List.of(randomId(), randomId(), randomId());
        Map<String, List<String>> sent = new HashMap<>();
        accounts.forEach(a -> sent.put(a, new ArrayList<>()));
        double failedBefore = failedBatches();
        double retriesBefore = commitRetries();
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // When: a third of the burst, then the broker goes away for the rest of it
            for (int i = 0; i < 90; i++) {
                if (i == 30) {
                    KafkaBrokerResource.disconnectBroker();
                }
                String account = accounts.get(i % accounts.size());
                String postId = randomId();
                byte[] body = tweet(account, postId);
                post(body, XSigner.sign(body)).statusCode(200); // ingestion does not depend on Kafka
                sent.get(account).add("aaa:" + account + ":tweet:" + postId);
            }
            try {
                // Then batches fail and are aborted (not merely retried inside the client), or, when the cut
                // met a commit, the commit is retried; the outbox holds the rest, and readiness says so but is UP
                Awaitility.await()
                        .atMost(Duration.ofSeconds(40))
                        .until(() -> (failedBatches() > failedBefore || commitRetries() > retriesBefore)
                                && relayPending() > 0);
                given().when()
                        .get(readiness)
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'outbox' }.status", equalTo("UP"));
            } finally {
                KafkaBrokerResource.reconnectBroker();
            }

            // and after the broker returns, everything arrives once, in order per account
            List<Received> received = consumer.pollUntil(
                    r -> accounts.stream().allMatch(a -> ids(r, a).size() >= 30), Duration.ofSeconds(90));
            received = consumer.pollFor(Duration.ofSeconds(2));
            for (String account : accounts) {
                assertEquals(sent.get(account), ids(received, account), "order and count of " + account);
            }
        }
    }

    @Test
    void aCommitCutOffOnItsWayIsRetriedAndPublishesOnce() throws Exception {
        commitCutOff(false);
    }

    @Test
    void aCommitWhoseAnswerIsLostIsRetriedAndPublishesOnce() throws Exception {
        commitCutOff(true);
    }

    /**
     * The broker goes away just as a transaction commits: the commit times out, which Kafka allows only to be
     * retried (an abort there would throw, and leave the producer refusing every later transaction).
     */
    private void commitCutOff(boolean requestArrives) throws Exception {
        // Given: a publisher that has already committed once, so only the next commit meets the cut
        String account = randomId();
        String name = "commit-" + randomId();
        KafkaPublisher publisher = publisher(name);
        double retriesBefore = commitRetries();
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(PUBLISHER_TOPIC);
                ExecutorService relayThread = Executors.newSingleThreadExecutor()) {
            List<OutboxMessage> first = messages(account, 3);
            List<OutboxMessage> cut = messages(account, 3);
            List<OutboxMessage> after = messages(account, 2);
            assertEquals(new PublishOutcome.Published(), publisher.publish(first));

            // When
            CountDownLatch fired = KafkaBrokerResource.disconnectAtRequest(
                    ApiKeys.END_TXN.id, "producer-" + transactionalId(name), requestArrives);
            Future<PublishOutcome> outcome = relayThread.submit(() -> publisher.publish(cut));
            assertTrue(fired.await(30, TimeUnit.SECONDS), "the commit was sent");
            Thread.sleep(7_000); // the broker stays away past one commit attempt (max.block.ms, 5 s)
            KafkaBrokerResource.reconnectBroker();

            // Then: the commit goes through once the broker is back, and the producer goes on working
            assertEquals(new PublishOutcome.Published(), outcome.get(60, TimeUnit.SECONDS));
            assertTrue(commitRetries() > retriesBefore, "the timed-out commit was counted");
            assertEquals(new PublishOutcome.Published(), publisher.publish(after));
            List<String> expected = Stream.of(first, cut, after)
                    .flatMap(List::stream)
                    .map(OutboxMessage::eventKey)
                    .toList();
            consumer.pollUntil(r -> ids(r, account).size() >= expected.size(), Duration.ofSeconds(30));
            assertEquals(expected, ids(consumer.pollFor(Duration.ofSeconds(2)), account));
        } finally {
            KafkaBrokerResource.reconnectBroker();
            publisher.close();
        }
    }

    @Test
    void twoMoreRelaysAtOncePublishEachEventOnce() throws Exception {
        // Given: two extra relay instances (as two more replicas would run), each with its own producer
        List<String> accounts = Stream.generate(Deliveries::randomId).limit(10).toList();
        List<String> sent = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<KafkaPublisher> extra =
                List.of(publisher("replica-b-" + randomId()), publisher("replica-c-" + randomId()));
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC);
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Integer>> relays = extra.stream()
                    .map(p -> pool.submit(() -> {
                        int published = 0;
                        while (running.get()) {
                            published += relay.drainAll(p).published();
                        }
                        return published;
                    }))
                    .toList();

            // When
            for (int i = 0; i < 150; i++) {
                String postId = randomId();
                String account = accounts.get(i % accounts.size());
                byte[] body = tweet(account, postId);
                post(body, XSigner.sign(body)).statusCode(200);
                sent.add("aaa:" + account + ":tweet:" + postId);
            }
            List<Received> received = consumer.pollUntil(
                    r -> r.stream().map(Received::id).filter(sent::contains).count() >= sent.size(),
                    Duration.ofSeconds(60));
            received = consumer.pollFor(Duration.ofSeconds(2));
            running.set(false);
            for (Future<Integer> r : relays) {
                r.get(30, TimeUnit.SECONDS);
            }

            // Then
            Map<String, Long> copies = received.stream()
                    .map(Received::id)
                    .filter(sent::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(sent.size(), copies.size());
            assertTrue(copies.values().stream().allMatch(c -> c == 1), "duplicates: " + copies);
        } finally {
            running.set(false); // a failed assertion must not leave the relay loops spinning (pool.close waits)
            extra.forEach(KafkaPublisher::close);
        }
    }

    @Test
    void parksARowKafkaRefusesAndReleasesItOnRequest() {
        // Given: replay status events route to an invalid topic in the test configuration
        String job = randomId();
        deliver(
                "{\"replay_job_status\":{\"webhook_id\":\"77\",\"job_state\":\"Complete\",\"job_state_description\":\"ok\",\"job_id\":\""
                        + job + "\"}}");
        String key = "replay:77:" + job + ":Complete";

        // When
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> parkedId(key) != null);

        // Then
        Integer id = parkedId(key);
        admin().get("/admin/outbox/parked")
                .then()
                .statusCode(200)
                .body("find { it.eventKey == '" + key + "' }.attempts", equalTo(2))
                .body(
                        "find { it.eventKey == '" + key + "' }.lastError",
                        org.hamcrest.Matchers.containsString("InvalidTopicException"));
        admin().post("/admin/outbox/parked/" + id + "/release").then().statusCode(204);
        admin().post("/admin/outbox/parked/" + id + "/release").then().statusCode(404);
        Db db = new Db(dataSource);
        // released: back in line (it will fail and park again, since the topic is still invalid)
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key));
        admin().get("/admin/outbox").then().statusCode(200).body("pending", org.hamcrest.Matchers.notNullValue());
    }

    private Integer parkedId(String key) {
        return admin().get("/admin/outbox/parked").then().extract().path("find { it.eventKey == '" + key + "' }.id");
    }

    private double failedBatches() {
        return registry.get("xwr.outbox.failed.batches").counter().count();
    }

    private double commitRetries() {
        return registry.get("xwr.outbox.commit.retries").counter().count();
    }

    private static List<OutboxMessage> messages(String account, int count) {
        Instant now = Instant.now();
        return Stream.generate(Deliveries::randomId)
                .limit(count)
                .map(post -> new OutboxMessage(
                        0,
                        "aaa:" + account + ":tweet:" + post,
                        PUBLISHER_TOPIC,
                        account,
                        "post.created",
                        now,
                        account,
                        ("{\"postId\":\"" + post + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        now,
                        0,
                        0,
                        null))
                .toList();
    }

    private static String transactionalId(String name) {
        return "xwr-outbox-test-" + name;
    }

    private double relayPending() {
        return registry.get("xwr.outbox.pending").gauge().value();
    }

    private KafkaPublisher publisher(String name) {
        return new KafkaPublisher(kafka, transactionalId(name), mapping, registry, clock);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token-0123456789abcdef");
    }

    private static List<String> ids(List<Received> received, String account) {
        return received.stream()
                .filter(r -> account.equals(r.key()))
                .map(Received::id)
                .toList();
    }
}
