package io.xwr.store;

import io.xwr.event.EventKey;
import java.util.List;

/** What one committed delivery added: its row id and the keys of the events that were new. */
public record Recorded(long deliveryId, int eventCount, List<EventKey> newEventKeys) {
    public Recorded {
        newEventKeys = List.copyOf(newEventKeys);
    }
}
