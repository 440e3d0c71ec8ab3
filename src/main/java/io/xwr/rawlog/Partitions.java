package io.xwr.rawlog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.xwr.store.Unreachable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The raw log's daily partitions on PostgreSQL (db/postgresql/V12): the deliveries and their post and account
 * links of one UTC day share a day's partitions, created a week ahead and dropped together once the day is past
 * retention and every delivery in it has been read. Dropping a day costs the same at a hundred deliveries or a
 * hundred million, where deleting them row by row would write every row to the WAL again. Neither step blocks
 * the ack path: a day is created as a table of its own and attached (which locks out no insert), and detached
 * with {@code CONCURRENTLY} before it is dropped. On H2 (dev) the tables are plain and this does nothing.
 */
@ApplicationScoped
public class Partitions {
    private static final Logger LOG = Logger.getLogger(Partitions.class);
    /** The tables partitioned by receipt day, the log first. */
    static final List<String> TABLES = List.of("raw_delivery", "delivery_post", "delivery_account");

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    /** How long DDL waits for another's DDL or vacuum (never for inserts or reads) before the next pass. */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";
    /**
     * Days created ahead of today, at every start and every retention pass: a row no partition covers would be
     * refused (and X would retry), so a week of the maintenance failing is what that would take.
     */
    public static final int DAYS_AHEAD = 7;

    private final EntityManager em;
    private final DataSource dataSource;
    private final boolean partitioned;
    private final Clock clock;

    Partitions(
            EntityManager em,
            DataSource dataSource,
            @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
            Clock clock) {
        this.em = em;
        this.dataSource = dataSource;
        this.partitioned = dbKind.toLowerCase(Locale.ROOT).startsWith("postgres");
        this.clock = clock;
    }

    /** A retired day: its date and the range of delivery ids it held (empty days hold none). */
    public record Retired(LocalDate day, long firstId, long lastId) {}

    public boolean partitioned() {
        return partitioned;
    }

    /** At start the week ahead is made sure of, in case the service was stopped for longer than that. */
    void atStart(@Observes StartupEvent start) {
        if (!partitioned) {
            return;
        }
        try {
            ensureAhead();
        } catch (RuntimeException e) {
            LOG.warnf("Daily partitions not checked at start, the retention pass will: %s", Unreachable.describe(e));
        }
    }

    /** Creates today's partitions and the week's ahead where missing; returns how many days it created. */
    public int ensureAhead() {
        if (!partitioned) {
            return 0;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<LocalDate> existing = days();
        int created = 0;
        for (LocalDate day = today; !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
            if (!existing.contains(day) && create(day)) {
                created++;
            }
        }
        return created;
    }

    /**
     * Drops the days that ended at or before {@code cutoff} whose deliveries all have ids up to {@code readUpTo}
     * (read by the projection; a day it has not finished stays whatever its age). Each day goes in its own short
     * transaction; a day whose locks are not free in time stays for the next pass.
     */
    public List<Retired> retireBefore(Instant cutoff, long readUpTo) {
        List<Retired> retired = new ArrayList<>();
        if (!partitioned) {
            return retired;
        }
        LocalDate lastWhole = LocalDate.ofInstant(cutoff, ZoneOffset.UTC).minusDays(1);
        for (LocalDate day : days()) {
            if (day.isAfter(lastWhole)) {
                continue;
            }
            try {
                Retired r = drop(day, readUpTo);
                if (r != null) {
                    retired.add(r);
                }
            } catch (RuntimeException | SQLException e) {
                LOG.infof("Partitions of %s not dropped this pass: %s", day, Unreachable.describe(e));
            }
        }
        return retired;
    }

    /** The days that have partitions, oldest first (the pre-upgrade legacy partition is no day). */
    public List<LocalDate> days() {
        if (!partitioned) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(c -> {
            List<LocalDate> days = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'raw_delivery'::regclass ORDER BY c.relname
                    """);
                    ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString("relname");
                    if (name.matches("raw_delivery_p\\d{8}")) {
                        days.add(LocalDate.parse(name.substring("raw_delivery_p".length()), SUFFIX));
                    }
                }
            }
            return days;
        }));
    }

    /**
     * Creates a day's partitions where missing: each a table of its own, then attached, which takes a lock that no
     * insert or read waits for ({@code CREATE TABLE ... PARTITION OF} would lock the whole log for a moment).
     */
    public boolean create(LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try {
            QuarkusTransaction.requiringNew().run(() -> session().doWork(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(LOCK_TIMEOUT);
                    for (String table : TABLES) {
                        // Names and bounds come from a date, never from input.
                        String partition = name(table, day);
                        // With the columns' storage and compression: the log's bodies are lz4 where the server has it.
                        s.execute("CREATE TABLE IF NOT EXISTS " + partition + " (LIKE " + table
                                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)");
                        if (!attached(c, table, partition)) {
                            s.execute("ALTER TABLE " + table + " ATTACH PARTITION " + partition + " FOR VALUES FROM ('"
                                    + from + "') TO ('" + to + "')");
                        }
                    }
                }
            }));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Partitions of %s not created: %s", day, Unreachable.describe(e));
            return false;
        }
    }

    private static boolean attached(Connection c, String table, String partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) AS n FROM pg_inherits"
                + " WHERE inhparent = ?::regclass AND inhrelid = ?::regclass")) {
            s.setString(1, table);
            s.setString(2, partition);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong("n") > 0;
            }
        }
    }

    /**
     * Detaches a day's partitions with {@code CONCURRENTLY} (it waits for the transactions that may see them, and
     * blocks none) and drops them, the log's last so a day half done is found again next pass. A detach cut short
     * (a restart) is finished with {@code FINALIZE}. Not in a transaction: a concurrent detach cannot run in one.
     */
    private Retired drop(LocalDate day, long readUpTo) throws SQLException {
        long[] range = QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(c -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT min(id) AS first_id, max(id) AS last_id FROM " + name("raw_delivery", day))) {
                r.next();
                return new long[] {r.getLong("first_id"), r.getLong("last_id")};
            }
        }));
        if (range[1] > readUpTo) {
            return null; // the projection has not read all of it yet
        }
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : TABLES.reversed()) {
                String partition = name(table, day);
                Boolean pending = detachPending(c, table, partition);
                if (pending != null) {
                    s.execute("ALTER TABLE " + table + " DETACH PARTITION " + partition
                            + (pending ? " FINALIZE" : " CONCURRENTLY"));
                }
                s.execute("DROP TABLE IF EXISTS " + partition);
            }
        }
        return new Retired(day, range[0], range[1]);
    }

    /** Whether the partition's detach is pending, or null when it is not attached (any more). */
    private static Boolean detachPending(Connection c, String table, String partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT i.inhdetachpending AS pending FROM pg_inherits i"
                + " JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = ?::regclass AND p.relname = ?")) {
            s.setString(1, table);
            s.setString(2, partition);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBoolean("pending") : null;
            }
        }
    }

    static String name(String table, LocalDate day) {
        return table + "_p" + SUFFIX.format(day);
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
