package io.xwr.store;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Column helpers: size guards (a value X sent too long must never fail the transaction that acknowledges it), times. */
public final class Columns {
    private Columns() {}

    /** A timestamp column as PostgreSQL's and H2's drivers hand it over. */
    /** A named time column of a JDBC row, null when the column is. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime t = row.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected time type " + value.getClass());
        };
    }

    /**
     * Binds a body without the copy {@code setBytes} makes (PostgreSQL's driver clones the array so the caller may
     * change it): the driver reads the array when it sends the statement. Bodies are up to 5 MiB and the caller
     * never changes them, so this halves what a delivery in flight holds of the heap.
     */
    public static void bytes(PreparedStatement statement, int index, byte[] value) throws SQLException {
        statement.setBinaryStream(index, new java.io.ByteArrayInputStream(value), value.length);
    }

    /** An instant as JDBC binds a TIMESTAMP WITH TIME ZONE on PostgreSQL and H2 alike. */
    public static OffsetDateTime offset(Instant value) {
        return value == null ? null : value.atOffset(java.time.ZoneOffset.UTC);
    }

    /**
     * A text value as a column can take it: at most {@code max} characters, and no NUL, which PostgreSQL refuses in
     * text (X's JSON may carry {@code \u0000}; it becomes U+FFFD, the same for every copy, so keys stay stable).
     */
    public static String clip(String value, int max) {
        if (value == null) {
            return null;
        }
        String storable = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        return storable.length() <= max ? storable : storable.substring(0, max);
    }

    /** {@code ?, ?, ...}: the parameter marks of {@code n} values. */
    public static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** The longest IN list {@link #selectIn} sends (a group-commit batch of 64 names up to about 128 values). */
    public static final int IN_LIST_MAX = 128;

    /** Reads one row of a result. */
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code select + " (?, ?, ...)"}, whose text ends in {@code IN}, over the values in lists of at most
     * {@link #IN_LIST_MAX}, and hands every row to {@code reader}. Each list is padded to a power of two (8 at
     * least) by repeating its last value, which changes its length, not what it matches: the same handful of
     * statements every time, which the driver prepares on the server once, where a list of each batch's own length
     * would be a new statement to parse and plan per batch.
     */
    public static void selectIn(Connection connection, String select, List<String> values, RowReader reader)
            throws SQLException {
        selectIn(connection, select, List.of(), values, reader);
    }

    /**
     * {@link #selectIn(Connection, String, List, RowReader)} with {@code leading} parameters bound before the list
     * (the marks of a condition ahead of the {@code IN}); values are bound with {@code setObject}.
     */
    public static void selectIn(Connection connection, String select, List<?> leading, List<?> values, RowReader reader)
            throws SQLException {
        for (int from = 0; from < values.size(); from += IN_LIST_MAX) {
            List<?> chunk = values.subList(from, Math.min(values.size(), from + IN_LIST_MAX));
            int size = 8;
            while (size < chunk.size()) {
                size *= 2;
            }
            try (PreparedStatement statement = connection.prepareStatement(select + " (" + marks(size) + ")")) {
                for (int i = 0; i < leading.size(); i++) {
                    statement.setObject(i + 1, leading.get(i));
                }
                for (int i = 0; i < size; i++) {
                    statement.setObject(leading.size() + i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        reader.read(rows);
                    }
                }
            }
        }
    }

    /** A native query's rows, at most {@code limit}, with one optional positional parameter. */
    @SuppressWarnings("unchecked")
    public static List<Object[]> rows(EntityManager em, String sql, Object param, int limit) {
        return param == null ? rows(em, sql, limit) : rows(em, sql, limit, param);
    }

    /** Rows of a native query with positional parameters {@code ?1, ?2, ...}. */
    public static List<Object[]> rows(EntityManager em, String sql, int limit, Object... params) {
        var query = em.createNativeQuery(sql, Object[].class).setMaxResults(limit);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query.getResultList();
    }

    /** Rows of {@code table} per value of its {@code state} column, every state present (zero when none). */
    public static <S extends Enum<S>> Map<S, Long> countByState(EntityManager em, String table, Class<S> states) {
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
