package io.xwr.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/** Plain JDBC reads of what the service committed, independent of its JPA mapping. */
public final class Db {
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long count(String sql, Object... args) {
        return ((Number) single(sql, args)).longValue();
    }

    public Object single(String sql, Object... args) {
        List<Object> values = column(sql, args);
        if (values.size() != 1) {
            throw new AssertionError("expected one row, got " + values.size() + " for " + sql);
        }
        return values.getFirst();
    }

    public List<Object> column(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Object> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getObject(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A column of text or bytes (raw bodies), each read as UTF-8 text. */
    public List<String> texts(String sql, Object... args) {
        return column(sql, args).stream()
                .map(v -> v instanceof byte[] bytes
                        ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(v))
                .toList();
    }

    /** Every table and text or binary column of the schema (PostgreSQL) in which the needle occurs. */
    public List<String> tablesContaining(String needle) {
        List<String> found = new ArrayList<>();
        List<Object> columns = column("""
                SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'bytea')
                """);
        for (Object c : columns) {
            String[] parts = c.toString().split("[.:]");
            String test = parts[2].equals("bytea")
                    ? "position(convert_to(?, 'UTF8') in " + parts[1] + ") > 0"
                    : "position(? in " + parts[1] + ") > 0";
            if (count("SELECT count(*) FROM " + parts[0] + " WHERE " + test, needle) > 0) {
                found.add(parts[0] + "." + parts[1]);
            }
        }
        return found;
    }

    public long deliveries() {
        return count("SELECT count(*) FROM raw_delivery");
    }

    public long events() {
        return count("SELECT count(*) FROM activity_event");
    }

    /** Deliveries the projection has not read yet. */
    public long unprojected() {
        return count("SELECT count(*) FROM raw_delivery WHERE id > (SELECT delivery_id FROM projection_position"
                + " WHERE name = 'events')");
    }

    /**
     * Waits until the projection has read every delivery committed so far (their events, purges and outbox rows
     * are then committed too): the ack path answers before the projection runs.
     */
    public Db awaitProjected() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(90)) // a test before may have left tens of thousands (the fuzzer)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> unprojected() == 0);
        return this;
    }
}
