package io.xwr.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.function.Function;

/** Turns one element into an event, or into an {@code UnknownActivity} when it cannot be read. */
final class Elements {
    private Elements() {}

    /**
     * Applies the mapping; any failure (a missing required field, a wrong type) keeps the element as an
     * unknown activity with the reason, so one odd element never costs the delivery its other events.
     */
    static ActivityEvent guard(
            Family family,
            String account,
            String sourceType,
            JsonNode element,
            Function<JsonNode, ActivityEvent> mapping) {
        try {
            return mapping.apply(element);
        } catch (RuntimeException e) {
            return unknown(family, account, sourceType, element, "unreadable " + sourceType + ": " + e.getMessage());
        }
    }

    /** An element kept as it is, keyed by the hash of its canonical form. */
    static ActivityEvent.UnknownActivity unknown(
            Family family, String account, String sourceType, JsonNode element, String reason) {
        return new ActivityEvent.UnknownActivity(
                new EventMeta(
                        EventKey.of(
                                family.name().toLowerCase(Locale.ROOT),
                                account,
                                "unknown",
                                sourceType,
                                Nodes.canonicalHash(element)),
                        family,
                        account,
                        null,
                        sourceType,
                        element),
                reason);
    }
}
