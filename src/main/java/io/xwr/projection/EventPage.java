package io.xwr.projection;

import java.util.List;

/** One page of events, newest first; {@code nextBefore} is null on the last page. */
public record EventPage(List<StoredEvent> items, Long nextBefore) {
    public EventPage {
        items = List.copyOf(items);
    }
}
