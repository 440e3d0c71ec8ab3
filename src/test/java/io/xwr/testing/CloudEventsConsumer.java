package io.xwr.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A plain Kafka consumer, as another service would run one: read_committed, from the beginning. */
public final class CloudEventsConsumer implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();
    private java.util.function.Consumer<Received> listener = r -> {};

    /** One consumed record with its CloudEvents headers. */
    public record Received(
            String key,
            String id,
            String type,
            String source,
            String subject,
            String time,
            String specVersion,
            String contentType,
            String dataschema,
            String body,
            int partition,
            long offset,
            String traceparent,
            String w3cTraceparent) {}

    public CloudEventsConsumer(String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(topic));
    }

    /** Called with every record as it is polled (for timing it). */
    public void onReceive(java.util.function.Consumer<Received> listener) {
        this.listener = listener;
    }

    /** Polls until the records seen so far satisfy the condition, or fails after the timeout. */
    public List<Received> pollUntil(Predicate<List<Received>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(received)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; received " + received.size());
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(received);
    }

    /** Keeps polling for the given time (to see whether anything more arrives). */
    public List<Received> pollFor(Duration duration) {
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(received);
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            Received event = new Received(
                    r.key(),
                    header(r, "ce_id"),
                    header(r, "ce_type"),
                    header(r, "ce_source"),
                    header(r, "ce_subject"),
                    header(r, "ce_time"),
                    header(r, "ce_specversion"),
                    header(r, "content-type"),
                    header(r, "ce_dataschema"),
                    new String(r.value(), StandardCharsets.UTF_8),
                    r.partition(),
                    r.offset(),
                    header(r, "ce_traceparent"),
                    header(r, "traceparent"));
            received.add(event);
            listener.accept(event);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
