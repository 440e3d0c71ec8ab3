package io.xwr.store;

import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    /** An instant as JDBC binds a TIMESTAMP WITH TIME ZONE on PostgreSQL and H2 alike. */
    static OffsetDateTime offset(Instant value) {
        return value == null ? null : value.atOffset(java.time.ZoneOffset.UTC);
    }

    /**
     * A text value as a column can take it: at most {@code max} characters, and no NUL, which PostgreSQL refuses in
     * text (X's JSON may carry {@code \u0000}; it becomes U+FFFD, the same for every copy, so keys stay stable).
     */
    static String clip(String value, int max) {
        if (value == null) {
            return null;
        }
        String storable = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        return storable.length() <= max ? storable : storable.substring(0, max);
    }

    /** {@code ?, ?, ...}: the parameter marks of an IN list of {@code n} values. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** A native query's rows, at most {@code limit}, with one optional positional parameter. */
    @SuppressWarnings("unchecked")
    static List<Object[]> rows(EntityManager em, String sql, Object param, int limit) {
        var query = em.createNativeQuery(sql, Object[].class).setMaxResults(limit);
        if (param != null) {
            query.setParameter(1, param);
        }
        return query.getResultList();
    }

    /** Rows of {@code table} per value of its {@code state} column, every state present (zero when none). */
    static <S extends Enum<S>> Map<S, Long> countByState(EntityManager em, String table, Class<S> states) {
        Map<S, Long> counts = new EnumMap<>(states);
        for (S state : states.getEnumConstants()) {
            counts.put(state, 0L);
        }
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT state, count(*) FROM " + table + " GROUP BY state", Object[].class)
                .getResultList();
        for (Object[] row : rows) {
            counts.put(Enum.valueOf(states, (String) row[0]), ((Number) row[1]).longValue());
        }
        return counts;
    }
}
