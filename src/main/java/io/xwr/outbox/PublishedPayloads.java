package io.xwr.outbox;

import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.EventJson;
import io.xwr.store.Columns;
import io.xwr.store.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * The data of a published record, rendered when it is published from what is stored then: the event's
 * normalized form and, under {@code source} and {@code envelope}, X's object and what surrounds it as the
 * normalizer finds them in the raw delivery now. A
 * purge that emptied the event or the delivery before the relay came is what Kafka gets, never a stale copy.
 */
@ApplicationScoped
class PublishedPayloads {
    private final EntityManager em;
    private final DeliveryNormalizer normalizer;
    private final PublishedSources memory;

    PublishedPayloads(EntityManager em, DeliveryNormalizer normalizer, PublishedSources memory) {
        this.em = em;
        this.normalizer = normalizer;
        this.memory = memory;
    }

    /** What an outbox row refers to: its event's stored form, whether it was purged, and its delivery. */
    record Stored(String eventKey, String eventPayload, boolean purged, Long deliveryId, Instant receivedAt) {}

    /** A row's published data, and the trace context of its delivery's ack (null when it was not traced). */
    record Rendered(byte[] payload, String traceparent) {}

    /**
     * The published data of each row, by event key; a delivery's objects come from the projection's reading of it
     * while that holds, else its body is read and normalized, once per batch.
     */
    Map<String, Rendered> render(Collection<Stored> rows) {
        Map<Long, Instant> deliveries = new HashMap<>();
        rows.stream()
                .filter(r -> !r.purged() && r.eventPayload() != null && r.deliveryId() != null)
                .forEach(r -> deliveries.merge(r.deliveryId(), timeOf(r), (a, b) -> a.equals(NO_TIME) ? b : a));
        Map<Long, Source> sources = sources(deliveries);
        Map<String, Rendered> rendered = new HashMap<>();
        for (Stored row : rows) {
            if (row.eventPayload() == null) {
                // The event is gone (retention): the key and the fact, nothing else is left to publish.
                rendered.put(
                        row.eventKey(),
                        new Rendered(
                                ("{\"key\":\"" + row.eventKey().replace("\"", "") + "\",\"expired\":true}")
                                        .getBytes(StandardCharsets.UTF_8),
                                null));
            } else if (row.purged() || row.deliveryId() == null) {
                rendered.put(row.eventKey(), new Rendered(row.eventPayload().getBytes(StandardCharsets.UTF_8), null));
            } else {
                Source source = sources.get(row.deliveryId());
                PublishedSources.Parts parts =
                        source == null ? null : source.events().get(row.eventKey());
                rendered.put(
                        row.eventKey(),
                        new Rendered(
                                parts == null
                                        ? EventJson.published(row.eventPayload(), null, null)
                                        : EventJson.published(row.eventPayload(), parts.source(), parts.envelope()),
                                source == null ? null : source.traceparent()));
            }
        }
        return rendered;
    }

    /** What a delivery tells its events at publish time: X's objects by event key, and its trace context. */
    private record Source(Map<String, PublishedSources.Parts> events, String traceparent) {}

    /** Rows appended before their delivery's time was kept: looked up by id alone. */
    private static final Instant NO_TIME = Instant.EPOCH;

    private static Instant timeOf(Stored row) {
        return row.receivedAt() == null ? NO_TIME : row.receivedAt();
    }

    /**
     * The deliveries' objects: from {@link PublishedSources} when the projection's reading of the body is still the
     * stored revision, else from the body, read and normalized again. Receipt times bound each lookup to the
     * partitions of those days (PostgreSQL partitions the raw log by day; without a bound every day's index is
     * probed for every id); the id lists are padded to a power of two so the same few statements are prepared
     * once, not planned per batch.
     */
    private Map<Long, Source> sources(Map<Long, Instant> deliveries) {
        Map<Long, Source> byDelivery = new HashMap<>();
        if (deliveries.isEmpty()) {
            return byDelivery;
        }
        Map<Long, String> toRead = new HashMap<>();
        lookUp(deliveries, "id, headers, body_revision", r -> {
            long id = r.getLong("id");
            String traceparent = Traces.fromHeaders(r.getString("headers"));
            Map<String, PublishedSources.Parts> held = memory.take(id, r.getInt("body_revision"));
            if (held != null) {
                byDelivery.put(id, new Source(held, traceparent));
            } else {
                toRead.put(id, traceparent);
            }
        });
        Map<Long, Instant> reading = new HashMap<>(deliveries);
        reading.keySet().retainAll(toRead.keySet());
        lookUp(reading, "id, body", r -> {
            long id = r.getLong("id");
            byDelivery.put(id, new Source(memory.read(normalizer.events(r.getBytes("body"))), toRead.get(id)));
        });
        return byDelivery;
    }

    /** Reads {@code columns} of the unpurged deliveries. */
    private void lookUp(Map<Long, Instant> deliveries, String columns, Columns.RowReader reader) {
        if (deliveries.isEmpty()) {
            return;
        }
        List<Long> timed = new ArrayList<>();
        List<Long> untimed = new ArrayList<>();
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (Map.Entry<Long, Instant> d : deliveries.entrySet()) {
            if (d.getValue().equals(NO_TIME)) {
                untimed.add(d.getKey());
            } else {
                timed.add(d.getKey());
                first = first.isBefore(d.getValue()) ? first : d.getValue();
                last = last.isAfter(d.getValue()) ? last : d.getValue();
            }
        }
        Instant from = first;
        Instant to = last;
        em.unwrap(Session.class).doWork(connection -> {
            Columns.selectIn(
                    connection,
                    "SELECT " + columns + " FROM raw_delivery WHERE received_at BETWEEN ? AND ? AND purged_at IS NULL"
                            + " AND id IN",
                    List.of(Columns.offset(from), Columns.offset(to)),
                    timed,
                    reader);
            Columns.selectIn(
                    connection,
                    "SELECT " + columns + " FROM raw_delivery WHERE purged_at IS NULL AND id IN",
                    List.of(),
                    untimed,
                    reader);
        });
    }
}
