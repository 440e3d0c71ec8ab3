package io.xwr.projection;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** A stored domain event as readers see it; {@code payload} is the event's JSON, embedded as JSON when serialized. */
public record StoredEvent(
        long id,
        String key,
        String family,
        String type,
        String sourceType,
        String accountId,
        Instant occurredAt,
        Instant recordedAt,
        Long deliveryId,
        @JsonRawValue String payload) {

    static StoredEvent of(EventEntity e) {
        return new StoredEvent(
                e.id,
                e.eventKey,
                e.family,
                e.eventType,
                e.sourceType,
                e.accountId,
                e.occurredAt,
                e.recordedAt,
                e.deliveryId,
                e.payload);
    }
}
