package io.xwr.event;

import java.util.List;
import java.util.Objects;

/**
 * What a delivery's bytes mean: its family, its events (several per delivery are allowed) and how far it was
 * understood.
 *
 * @param problem a short reason when the status is not {@link ParseStatus#PARSED}, else null
 */
public record Normalization(ParseStatus status, Family family, List<ActivityEvent> events, String problem) {
    public Normalization {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(family, "family");
        events = List.copyOf(events);
    }
}
