package io.xwr.timeline;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/** The SQL of {@code ops_minute}: one row per replica and minute, rewritten while the minute lasts. */
@ApplicationScoped
class TimelineStore {
    private final EntityManager em;

    TimelineStore(EntityManager em) {
        this.em = em;
    }

    /** Writes this replica's figures of a minute, replacing what an earlier sample of the same minute wrote. */
    @Transactional
    void write(String replica, MinuteFigures figures) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE ops_minute SET deliveries = ?, events = ?, ack_p50_ms = ?, ack_p99_ms = ?,"
                            + " outbox_lag_s = ? WHERE replica = ? AND minute_at = ?")) {
                bind(update, figures);
                update.setString(6, replica);
                update.setObject(7, Columns.offset(figures.minute));
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO ops_minute (deliveries, events, ack_p50_ms, ack_p99_ms, outbox_lag_s, replica,"
                            + " minute_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, figures);
                insert.setString(6, replica);
                insert.setObject(7, Columns.offset(figures.minute));
                insert.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement s, MinuteFigures figures) throws java.sql.SQLException {
        s.setLong(1, figures.deliveries);
        s.setLong(2, Math.round(figures.events));
        nullable(s, 3, figures.percentile(0.5));
        nullable(s, 4, figures.percentile(0.99));
        nullable(s, 5, figures.outboxLagSeconds);
    }

    private static void nullable(PreparedStatement s, int index, Double value) throws java.sql.SQLException {
        if (value == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }

    @Transactional
    int deleteBefore(Instant before) {
        return em.createNativeQuery("DELETE FROM ops_minute WHERE minute_at < ?1")
                .setParameter(1, Columns.offset(before))
                .executeUpdate();
    }

    /** The minutes in [from, to), each summed (counts) or maxed (latency, lag) over the replicas. */
    @Transactional
    List<Minute> read(Instant from, Instant to) {
        List<Minute> minutes = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT minute_at, SUM(deliveries) AS deliveries, SUM(events) AS events,"
                            + " MAX(ack_p50_ms) AS p50, MAX(ack_p99_ms) AS p99, MAX(outbox_lag_s) AS lag"
                            + " FROM ops_minute WHERE minute_at >= ? AND minute_at < ? GROUP BY minute_at"
                            + " ORDER BY minute_at")) {
                select.setObject(1, Columns.offset(from));
                select.setObject(2, Columns.offset(to));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        minutes.add(new Minute(
                                Columns.instant(row, "minute_at"),
                                row.getLong("deliveries"),
                                row.getLong("events"),
                                nullableDouble(row, "p50"),
                                nullableDouble(row, "p99"),
                                nullableDouble(row, "lag")));
                    }
                }
            }
        });
        return minutes;
    }

    private static Double nullableDouble(ResultSet row, String column) throws java.sql.SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }
}
