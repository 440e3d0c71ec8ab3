package io.xwr.replay;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/** The stream recoveries' table: one row per gap, with the time its window has been read up to. */
@ApplicationScoped
public class StreamRecoveries {
    private static final String COLUMNS =
            "id, gap_id, window_from, window_to, read_up_to, state, posts_read, note, updated_at";

    private final EntityManager em;

    StreamRecoveries(EntityManager em) {
        this.em = em;
    }

    /** Starts reading a gap's window; false when the gap has one already. */
    @Transactional
    public boolean open(long gapId, Instant from, Instant to, Instant now) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO stream_recovery (gap_id, window_from, window_to, read_up_to, state, updated_at)
                    VALUES (?, ?, ?, ?, 'READING', ?) ON CONFLICT DO NOTHING
                    """)) {
                insert.setLong(1, gapId);
                insert.setObject(2, Columns.offset(from));
                insert.setObject(3, Columns.offset(to));
                insert.setObject(4, Columns.offset(from));
                insert.setObject(5, Columns.offset(now));
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Records how far a window was read and what it came to; DONE and LOST rows are not read again. */
    @Transactional
    public void progress(long id, Instant readUpTo, String state, int posts, String note, Instant now) {
        session().doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE stream_recovery SET read_up_to = ?, state = ?, posts_read = posts_read + ?,
                        note = ?, updated_at = ?
                    WHERE id = ?
                    """)) {
                update.setObject(1, Columns.offset(readUpTo));
                update.setString(2, state);
                update.setInt(3, posts);
                update.setString(4, Columns.clip(note, 500));
                update.setObject(5, Columns.offset(now));
                update.setLong(6, id);
                update.executeUpdate();
            }
        });
    }

    @Transactional
    public List<StoredStreamRecovery> reading() {
        return list("SELECT " + COLUMNS + " FROM stream_recovery WHERE state = 'READING' ORDER BY window_from");
    }

    @Transactional
    public List<StoredStreamRecovery> recent(int limit) {
        return list("SELECT " + COLUMNS + " FROM stream_recovery ORDER BY id DESC FETCH FIRST " + Math.max(1, limit)
                + " ROWS ONLY");
    }

    private List<StoredStreamRecovery> list(String sql) {
        List<StoredStreamRecovery> all = new ArrayList<>();
        session().doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    all.add(recovery(rows));
                }
            }
        });
        return all;
    }

    private static StoredStreamRecovery recovery(ResultSet row) throws SQLException {
        return new StoredStreamRecovery(
                row.getLong("id"),
                row.getLong("gap_id"),
                Columns.instant(row, "window_from"),
                Columns.instant(row, "window_to"),
                Columns.instant(row, "read_up_to"),
                row.getString("state"),
                row.getInt("posts_read"),
                row.getString("note"),
                Columns.instant(row, "updated_at"));
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
