package io.xwr.projection;

import io.xwr.event.ActivityEvent;
import java.util.List;

/** What projecting one delivery added: its id, how many events it carries, and those that were new. */
public record Recorded(long deliveryId, int eventCount, List<ActivityEvent> newEvents) {
    public Recorded {
        newEvents = List.copyOf(newEvents);
    }
}
