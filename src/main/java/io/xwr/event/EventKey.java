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

    /**
     * A key from its parts joined by {@code :}. Parts come from X and are unbounded, so a key that would exceed
     * {@link #MAX_LENGTH} keeps a readable prefix and ends with the SHA-256 of the whole.
     */
    public static EventKey of(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                joined.append(':');
            }
            joined.append(parts[i] == null || parts[i].isEmpty() ? "-" : parts[i]);
        }
        String value = joined.toString();
        if (value.length() > MAX_LENGTH) {
            value = value.substring(0, 120) + ":sha256:"
                    + Nodes.sha256Hex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new EventKey(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
