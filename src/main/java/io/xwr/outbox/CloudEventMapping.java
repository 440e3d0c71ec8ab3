package io.xwr.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Startup;
import io.xwr.config.OutboxConfig;
import io.xwr.config.ReplayConfig;
import io.xwr.store.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An outbox row as a Kafka record in CloudEvents 1.0 binary mode: {@code ce_id} = event key, {@code ce_type} = the
 * configured prefix + the event type, {@code ce_source} (an absolute URI), {@code ce_dataschema} (the type's JSON
 * Schema), {@code ce_time}, {@code ce_subject} = account, {@code ce_traceparent}; the JSON event as value; the
 * account as record key, so one account's events share a partition and keep their order.
 */
@ApplicationScoped
@Startup // a source that is not an absolute URI stops the service at start, not at the first publish
class CloudEventMapping {
    static final String DEFAULT_SOURCE = "urn:x-webhook-receiver";

    private final URI source;
    private final String typePrefix;
    private final String schemaBase;
    private final Tracer tracer;
    private final Map<String, URI> schemas = new ConcurrentHashMap<>();

    CloudEventMapping(OutboxConfig config, ReplayConfig replay, Tracer tracer) {
        this.tracer = tracer;
        this.source = absolute(
                "xwr.outbox.source", config.source().or(replay::webhookUrl).orElse(DEFAULT_SOURCE));
        this.typePrefix = config.typePrefix();
        this.schemaBase = config.dataschemaBase();
        absolute("xwr.outbox.dataschema-base", schemaBase);
    }

    static URI absolute(String property, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " must be an absolute URI: " + e.getMessage());
        }
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException(property + " must be an absolute URI (CloudEvents), not " + value);
        }
        return uri;
    }

    /**
     * The record of a row. A row whose delivery's ack was traced is published under a producer span, a child of
     * that ack; the record carries the span's context as the CloudEvents {@code traceparent} extension ({@code
     * ce_traceparent}) and as W3C's {@code traceparent} header, which OpenTelemetry's Kafka instrumentation reads.
     */
    ProducerRecord<String, CloudEvent> record(OutboxMessage message) {
        String traceparent = message.traceparent();
        if (traceparent != null) {
            Span publish = tracer.spanBuilder(message.topic() + " publish")
                    .setParent(Traces.parent(traceparent))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", message.topic())
                    .setAttribute("messaging.message.id", message.eventKey())
                    .startSpan();
            String own = Traces.traceparent(publish);
            traceparent = own != null ? own : traceparent;
            publish.end();
        }
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(message.eventKey())
                .withSource(source)
                .withType(typePrefix + message.type())
                .withDataSchema(schemas.computeIfAbsent(message.type(), t -> URI.create(schemaBase + t + ".json")))
                .withTime(message.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(message.data());
        if (message.subject() != null) {
            event.withSubject(message.subject());
        }
        if (traceparent == null) {
            return new ProducerRecord<>(message.topic(), message.messageKey(), event.build());
        }
        event.withExtension("traceparent", traceparent);
        ProducerRecord<String, CloudEvent> record =
                new ProducerRecord<>(message.topic(), message.messageKey(), event.build());
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
        return record;
    }
}
