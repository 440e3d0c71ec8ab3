package io.xwr.event;

import java.util.Objects;

/**
 * Deterministic idempotency key of one domain event (spec 7.2, 8.4, 9.2), e.g. {@code aaa:2244994945:tweet:1924465506158878979}.
 * Two deliveries that carry the same event for the same account yield equal keys.
 */
public record EventKey(String value) {
    /** Keys are stored in a unique, indexed column; keep them bounded. */
    public static final int MAX_LENGTH = 512;

    public EventKey {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("event key must be 1.." + MAX_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
