package io.xwr.compliance;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** The batch compliance jobs' table, and which ids a window of stored deliveries carries. */
@ApplicationScoped
public class ComplianceJobs {
    public static final String POSTS = "tweets";
    public static final String USERS = "users";

    private static final String COLUMNS = "id, job_type, x_job_id, state, window_from, window_to, ids_checked,"
            + " x_status, actions_taken, actions, note, created_at, updated_at";

    private final EntityManager em;

    ComplianceJobs(EntityManager em) {
        this.em = em;
    }

    /** A job at X still to be answered, with the URL its answer is read from (never shown). */
    record Waiting(StoredComplianceJob job, String downloadUrl) {}

    /**
     * The distinct ids stored in deliveries received in the window: every post a body carries (the subscribed
     * accounts' own, and others' quoted, reposted, liked, matched), or every account deliveries were for (stream
     * authors included). Posts by other authors are checked as posts: X answers for a suspended or protected
     * author's posts too.
     */
    @Transactional
    public List<String> idsIn(String type, Instant from, Instant to) {
        String sql = type.equals(POSTS)
                ? "SELECT DISTINCT post_id AS id FROM delivery_post WHERE received_at >= ? AND received_at < ?"
                : "SELECT DISTINCT account_id AS id FROM delivery_account WHERE received_at >= ? AND received_at < ?";
        List<String> ids = new ArrayList<>();
        session().doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql + " ORDER BY id")) {
                select.setObject(1, Columns.offset(from));
                select.setObject(2, Columns.offset(to));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString("id");
                        if (id != null && id.matches("[0-9]{1,19}")) { // X takes numeric ids only
                            ids.add(id);
                        }
                    }
                }
            }
        });
        return ids;
    }

    /** Where the next window of this type starts: the end of the last one asked, or empty before the first. */
    @Transactional
    public Optional<Instant> lastWindowEnd(String type) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT max(window_to) AS last_end FROM compliance_job WHERE job_type = ?")) {
                select.setString(1, type);
                try (ResultSet rows = select.executeQuery()) {
                    return Optional.ofNullable(rows.next() ? Columns.instant(rows, "last_end") : null);
                }
            }
        });
    }

    /** Records a job: WAITING at X, DONE when there was nothing to ask, FAILED when asking went wrong. */
    @Transactional
    public long record(
            String type,
            String xJobId,
            String state,
            Instant from,
            Instant to,
            int ids,
            String downloadUrl,
            String xStatus,
            String note,
            Instant now) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO compliance_job (job_type, x_job_id, state, window_from, window_to, ids_checked,
                        download_url, x_status, note, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, type);
                insert.setString(2, xJobId);
                insert.setString(3, state);
                insert.setObject(4, Columns.offset(from));
                insert.setObject(5, Columns.offset(to));
                insert.setInt(6, ids);
                insert.setString(7, downloadUrl);
                insert.setString(8, Columns.clip(xStatus, 32));
                insert.setString(9, Columns.clip(note, 500));
                insert.setObject(10, Columns.offset(now));
                insert.setObject(11, Columns.offset(now));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @Transactional
    public List<Waiting> waiting() {
        List<Waiting> all = new ArrayList<>();
        read(
                "SELECT " + COLUMNS + ", download_url FROM compliance_job WHERE state = 'WAITING' ORDER BY id",
                row -> all.add(new Waiting(job(row), row.getString("download_url"))));
        return all;
    }

    @Transactional
    public List<StoredComplianceJob> failed() {
        List<StoredComplianceJob> all = new ArrayList<>();
        read("SELECT " + COLUMNS + " FROM compliance_job WHERE state = 'FAILED' ORDER BY id", row -> all.add(job(row)));
        return all;
    }

    @Transactional
    public List<StoredComplianceJob> recent(int limit) {
        List<StoredComplianceJob> all = new ArrayList<>();
        read(
                "SELECT " + COLUMNS + " FROM compliance_job ORDER BY id DESC FETCH FIRST " + Math.max(1, limit)
                        + " ROWS ONLY",
                row -> all.add(job(row)));
        return all;
    }

    /** Moves a job on; a finished one forgets its URL. */
    @Transactional
    public void update(
            long id, String state, String xStatus, Integer actionsTaken, String actions, String note, Instant now) {
        session().doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE compliance_job SET state = ?, x_status = ?, actions_taken = ?, actions = ?,
                        note = COALESCE(?, note), updated_at = ?,
                        download_url = CASE WHEN ? = 'WAITING' THEN download_url ELSE NULL END
                    WHERE id = ?
                    """)) {
                update.setString(1, state);
                update.setString(2, Columns.clip(xStatus, 32));
                update.setObject(3, actionsTaken, java.sql.Types.INTEGER);
                update.setString(4, Columns.clip(actions, 500));
                update.setString(5, Columns.clip(note, 500));
                update.setObject(6, Columns.offset(now));
                update.setString(7, state);
                update.setLong(8, id);
                update.executeUpdate();
            }
        });
    }

    private void read(String sql, Columns.RowReader reader) {
        session().doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        });
    }

    private static StoredComplianceJob job(ResultSet row) throws SQLException {
        Object taken = row.getObject("actions_taken");
        return new StoredComplianceJob(
                row.getLong("id"),
                row.getString("job_type"),
                row.getString("x_job_id"),
                row.getString("state"),
                Columns.instant(row, "window_from"),
                Columns.instant(row, "window_to"),
                row.getInt("ids_checked"),
                row.getString("x_status"),
                taken == null ? null : ((Number) taken).intValue(),
                row.getString("actions"),
                row.getString("note"),
                Columns.instant(row, "created_at"),
                Columns.instant(row, "updated_at"));
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
