package io.xwr.projection;

import java.time.Instant;
import java.util.List;

/**
 * A stored raw delivery, where the projection is with it, and the keys of the events it added first.
 *
 * @param projection {@code PENDING} (the projection has not read it yet), {@code PROJECTED} or {@code QUARANTINED}
 * @param problem why it is quarantined, or what the normalizer could not make out; else null
 * @param family the family of its events, when it has any
 */
public record StoredDelivery(
        long id,
        Instant receivedAt,
        String projection,
        String problem,
        String family,
        String headers,
        String secretFingerprint,
        String bodySha256,
        byte[] body,
        List<String> newEventKeys) {

    public StoredDelivery {
        newEventKeys = List.copyOf(newEventKeys);
    }
}
