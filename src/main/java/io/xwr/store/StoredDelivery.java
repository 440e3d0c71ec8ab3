package io.xwr.store;

import java.time.Instant;
import java.util.List;

/** A stored raw delivery with the keys of the events it added first. */
public record StoredDelivery(
        long id,
        Instant receivedAt,
        String family,
        String parseStatus,
        String parseProblem,
        int eventCount,
        String headers,
        String secretFingerprint,
        String bodySha256,
        byte[] body,
        List<String> newEventKeys) {

    public StoredDelivery {
        newEventKeys = List.copyOf(newEventKeys);
    }
}
