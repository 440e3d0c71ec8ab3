package io.xwr.outbox;

import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.common.annotation.Identifier;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.Db;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.RelayOff;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka's commit and the database's are two: when the database goes away between them, the rows are in Kafka
 * and still in the outbox. The relay that sent them deletes them when the database is back instead of sending
 * them again. The background relay is off (RelayOff), so this test drives every drain.
 */
@QuarkusTest
@TestProfile(RelayOff.class)
class LostDeleteTest {
    @Inject
    OutboxRelay relay;

    @Inject
    CloudEventMapping mapping;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    /**
     * The relay is off in this profile, so rows other tests of the profile left (FuzzTest writes tens of
     * thousands) wait in the outbox, once projected: this test's drains must meet only its own row.
     */
    @BeforeEach
    void emptyOutbox() throws Exception {
        new Db(dataSource).awaitProjected(); // their deliveries may still be projecting into the outbox
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM outbox");
        }
    }

    @Test
    void rowsKafkaHasAreNotSentAgainWhenTheirDeleteWasLost() throws Exception {
        // Given: a delivery waiting in the outbox
        String account = randomId();
        String postId = randomId();
        byte[] body = tweet(account, postId);
        post(body, XSigner.sign(body)).statusCode(200);
        String key = "aaa:" + account + ":tweet:" + postId;
        Db db = new Db(dataSource);
        assertEquals(1, db.awaitProjected().count("SELECT count(*) FROM outbox WHERE event_key = ?", key));
        KafkaPublisher publisher =
                new KafkaPublisher(kafka, "xwr-outbox-test-lost-" + randomId(), mapping, registry, clock);
        try (CloudEventsConsumer consumer = new CloudEventsConsumer("x.activity")) {
            // When: the batch reaches Kafka, then the database stops before the delete commits
            try {
                assertThrows(
                        RuntimeException.class,
                        () -> relay.drainAll(batch -> {
                            PublishOutcome outcome = publisher.publish(batch);
                            PostgresResource.stopDatabase();
                            return outcome;
                        }));
            } finally {
                PostgresResource.startDatabase();
            }
            // and the relay drains again once the database is back
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        relay.drainAll(publisher);
                        return db.count("SELECT count(*) FROM outbox WHERE event_key = ?", key) == 0;
                    });

            // Then: in Kafka once
            consumer.pollUntil(r -> r.stream().anyMatch(e -> key.equals(e.id())), Duration.ofSeconds(30));
            List<CloudEventsConsumer.Received> received = consumer.pollFor(Duration.ofSeconds(3));
            assertEquals(1, received.stream().filter(e -> key.equals(e.id())).count());
        } finally {
            publisher.close();
        }
    }
}
