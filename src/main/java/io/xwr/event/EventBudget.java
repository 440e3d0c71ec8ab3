package io.xwr.event;

import java.util.ArrayList;
import java.util.List;

/**
 * The events one delivery may yield. A signed body of tiny array elements must not cost the service an event
 * row (and a Kafka record) each: past {@code max}, elements are counted, never normalized, and the raw delivery
 * keeps them.
 */
final class EventBudget {
    private final int max;
    private final List<ActivityEvent> events = new ArrayList<>();
    private int omitted;

    EventBudget(int max) {
        this.max = max;
    }

    /** No more room: the caller skips the element (and calls {@link #skip()}) instead of reading it. */
    boolean full() {
        return events.size() >= max;
    }

    void skip() {
        omitted++;
    }

    /** Elements the bounded read left out of the tree: never seen by a normalizer, counted all the same. */
    void skipped(int elements) {
        omitted += elements;
    }

    void add(ActivityEvent event) {
        if (full()) {
            omitted++;
        } else {
            events.add(event);
        }
    }

    List<ActivityEvent> events() {
        return events;
    }

    int max() {
        return max;
    }

    /** Elements left out because the budget was spent. */
    int omitted() {
        return omitted;
    }
}
