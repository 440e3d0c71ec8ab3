package io.xwr.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.xwr.event.ActivityEvent;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a published record, rendered when it is published from what is stored then: the event's
 * normalized form and, under {@code source}, X's object as the normalizer finds it in the raw delivery now. A
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
    record Stored(String eventKey, String eventPayload, boolean purged, Long deliveryId) {}

    /** The published data of each row, by event key; each delivery is read and normalized once per batch. */
    Map<String, String> render(Collection<Stored> rows) {
        Map<Long, Map<String, JsonNode>> sources = sources(rows.stream()
                .filter(r -> !r.purged() && r.eventPayload() != null && r.deliveryId() != null)
                .map(Stored::deliveryId)
                .distinct()
                .toList());
        Map<String, String> rendered = new HashMap<>();
        for (Stored row : rows) {
            if (row.eventPayload() == null) {
                // The event is gone (retention): the key and the fact, nothing else is left to publish.
                rendered.put(row.eventKey(), "{\"key\":\"" + row.eventKey().replace("\"", "") + "\",\"expired\":true}");
            } else if (row.purged() || row.deliveryId() == null) {
                rendered.put(row.eventKey(), row.eventPayload());
            } else {
                JsonNode source =
                        sources.getOrDefault(row.deliveryId(), Map.of()).get(row.eventKey());
                rendered.put(row.eventKey(), eventJson.withSource(row.eventPayload(), source));
            }
        }
        return rendered;
    }

    private Map<Long, Map<String, JsonNode>> sources(List<Long> deliveryIds) {
        Map<Long, Map<String, JsonNode>> byDelivery = new HashMap<>();
        if (deliveryIds.isEmpty()) {
            return byDelivery;
        }
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT id, body FROM raw_delivery WHERE id IN (:ids) AND purged_at IS NULL", Object[].class)
                .setParameter("ids", deliveryIds)
                .getResultList();
        for (Object[] row : rows) {
            Map<String, JsonNode> byKey = new HashMap<>();
            for (ActivityEvent event : normalizer.normalize((byte[]) row[1]).events()) {
                byKey.putIfAbsent(event.key().value(), event.meta().source());
            }
            byDelivery.put(((Number) row[0]).longValue(), byKey);
        }
        return byDelivery;
    }
}
