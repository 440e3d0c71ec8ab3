package io.xwr.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

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

    public long deliveries() {
        return count("SELECT count(*) FROM raw_delivery");
    }

    public long events() {
        return count("SELECT count(*) FROM activity_event");
    }
}
