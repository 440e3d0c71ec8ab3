package io.xwr.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.xwr.config.OutboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An outbox row as a Kafka record in CloudEvents 1.0 binary mode: {@code ce_id} = event key, {@code ce_type},
 * {@code ce_source}, {@code ce_time}, {@code ce_subject} = account; the JSON event as value; the account as
 * record key, so one account's events share a partition and keep their order.
 */
@ApplicationScoped
class CloudEventMapping {
    private final URI source;

    CloudEventMapping(OutboxConfig config) {
        this.source = URI.create(config.source());
    }

    ProducerRecord<String, CloudEvent> record(OutboxMessage message) {
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(message.eventKey())
                .withSource(source)
                .withType(message.type())
                .withTime(message.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(message.payload().getBytes(StandardCharsets.UTF_8));
        if (message.subject() != null) {
            event.withSubject(message.subject());
        }
        return new ProducerRecord<>(message.topic(), message.messageKey(), event.build());
    }
}
