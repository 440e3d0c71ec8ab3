package io.xwr.ops;

import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.CloudEventsConsumer.Received;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, one delivery is one trace: X's POST (the server span), its append to the raw log (committed
 * before the 200), and the publish of its event to Kafka behind the projection; the Kafka record carries the
 * publish span's context for consumers to continue.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {
    /** Tracing on, exported to memory instead of an OTLP collector. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aDeliverysTraceSpansThePostTheCommitAndThePublish() {
        String account = randomId();
        String postId = randomId();
        String key = "aaa:" + account + ":tweet:" + postId;
        try (CloudEventsConsumer consumer = new CloudEventsConsumer("x.activity")) {
            // When
            byte[] body = tweet(account, postId);
            post(body, XSigner.sign(body)).statusCode(200);

            // Then: the record carries a trace context, under both names
            Received record =
                    consumer
                            .pollUntil(r -> r.stream().anyMatch(e -> key.equals(e.id())), Duration.ofSeconds(30))
                            .stream()
                            .filter(e -> key.equals(e.id()))
                            .findFirst()
                            .orElseThrow();
            assertTrue(
                    record.traceparent() != null && record.traceparent().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"),
                    "ce_traceparent " + record.traceparent());
            assertEquals(record.traceparent(), record.w3cTraceparent());
            String traceId = record.traceparent().split("-")[1];
            String publishId = record.traceparent().split("-")[2];

            // and it names the publish span, whose parent is the append, whose parent is X's POST: one trace
            SpanData publish = awaitSpan(publishId);
            assertEquals(SpanKind.PRODUCER, publish.getKind());
            assertEquals("x.activity publish", publish.getName());
            assertEquals(
                    key,
                    publish.getAttributes()
                            .get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id")));
            SpanData append = awaitSpan(publish.getParentSpanId());
            assertEquals("raw-log append", append.getName());
            SpanData server = awaitSpan(append.getParentSpanId());
            assertEquals(SpanKind.SERVER, server.getKind());
            assertTrue(server.getName().contains("/webhooks/x"), server.getName());
            for (SpanData span : List.of(publish, append, server)) {
                assertEquals(traceId, span.getTraceId(), span.getName());
            }
        }
    }

    private SpanData awaitSpan(String spanId) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> find(spanId), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<SpanData> find(String spanId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(spanId))
                .findFirst();
    }
}
