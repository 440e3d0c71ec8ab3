package io.xwr.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Column helpers: size guards (a value X sent too long must never fail the transaction that acknowledges it), times. */
final class Columns {
    private Columns() {}

    /** A timestamp column as PostgreSQL's and H2's drivers hand it over. */
    static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected time type " + value.getClass());
        };
    }

    static String clip(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        return value.substring(0, max);
    }
}
