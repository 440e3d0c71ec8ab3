package io.xwr.outbox;

import io.xwr.event.ActivityEvent;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.EventJson;
import io.xwr.event.EventMeta;
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
    private final EventJson eventJson;

    PublishedPayloads(EntityManager em, DeliveryNormalizer normalizer, EventJson eventJson) {
        this.em = em;
        this.normalizer = normalizer;
        this.eventJson = eventJson;
    }

    /** What an outbox row refers to: its event's stored form, whether it was purged, and its delivery. */
    record Stored(String eventKey, String eventPayload, boolean purged, Long deliveryId, Instant receivedAt) {}

    /** A row's published data, and the trace context of its delivery's ack (null when it was not traced). */
    record Rendered(byte[] payload, String traceparent) {}

    /** The published data of each row, by event key; each delivery is read and normalized once per batch. */
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
                EventMeta meta = source == null ? null : source.events().get(row.eventKey());
                rendered.put(
                        row.eventKey(),
                        new Rendered(
                                meta == null
                                        ? eventJson.published(row.eventPayload(), null, null)
                                        : eventJson.published(row.eventPayload(), meta.source(), meta.envelope()),
                                source == null ? null : source.traceparent()));
            }
        }
        return rendered;
    }

    /** What a delivery tells its events at publish time: X's objects by event key, and its trace context. */
    private record Source(Map<String, EventMeta> events, String traceparent) {}

    /** Rows appended before their delivery's time was kept: looked up by id alone. */
    private static final Instant NO_TIME = Instant.EPOCH;

    private static Instant timeOf(Stored row) {
        return row.receivedAt() == null ? NO_TIME : row.receivedAt();
    }

    /**
     * The deliveries' bodies. Their receipt times bound the lookup to the partitions of those days (PostgreSQL
     * partitions the raw log by day; without a bound every day's index is probed for every id); the id lists are
     * padded to a power of two so the same few statements are prepared once, not planned per batch.
     */
    private Map<Long, Source> sources(Map<Long, Instant> deliveries) {
        Map<Long, Source> byDelivery = new HashMap<>();
        if (deliveries.isEmpty()) {
            return byDelivery;
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
        List<Object[]> rows = new ArrayList<>();
        Instant from = first;
        Instant to = last;
        Columns.RowReader collect = r -> rows.add(
                new Object[] {r.getLong("id"), r.getBytes("body"), Traces.fromHeaders(r.getString("headers"))});
        em.unwrap(Session.class).doWork(connection -> {
            Columns.selectIn(
                    connection,
                    "SELECT id, body, headers FROM raw_delivery WHERE received_at BETWEEN ? AND ? AND purged_at IS NULL"
                            + " AND id IN",
                    List.of(Columns.offset(from), Columns.offset(to)),
                    timed,
                    collect);
            Columns.selectIn(
                    connection,
                    "SELECT id, body, headers FROM raw_delivery WHERE purged_at IS NULL AND id IN",
                    List.of(),
                    untimed,
                    collect);
        });
        for (Object[] row : rows) {
            Map<String, EventMeta> byKey = new HashMap<>();
            for (ActivityEvent event : normalizer.events((byte[]) row[1]).events()) {
                byKey.putIfAbsent(event.key().value(), event.meta());
            }
            byDelivery.put(((Number) row[0]).longValue(), new Source(byKey, (String) row[2]));
        }
        return byDelivery;
    }
}
