package io.xwr.rawlog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.xwr.store.Unreachable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The raw log's daily partitions on PostgreSQL (db/postgresql/V12): the deliveries and their post and account
 * links of one UTC day share a day's partitions, created a week ahead and dropped together once the day is past
 * retention and every delivery in it has been read. Dropping a day costs the same at a hundred deliveries or a
 * hundred million, where deleting them row by row would write every row to the WAL again. On H2 (dev) the tables
 * are plain and this does nothing: retention deletes rows there.
 */
@ApplicationScoped
public class Partitions {
    private static final Logger LOG = Logger.getLogger(Partitions.class);
    /** The tables partitioned by receipt day, the log first. */
    static final List<String> TABLES = List.of("raw_delivery", "delivery_post", "delivery_account");

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    /** How long DDL waits for the appends and readers in flight before giving up until the next pass. */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '200ms'";
    /** Days created ahead of today: a week of the maintenance job failing does not reach the default partition. */
    public static final int DAYS_AHEAD = 7;

    private final EntityManager em;
    private final boolean partitioned;
    private final Clock clock;

    Partitions(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind, Clock clock) {
        this.em = em;
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
                Retired r = QuarkusTransaction.requiringNew().call(() -> drop(day, readUpTo));
                if (r != null) {
                    retired.add(r);
                }
            } catch (RuntimeException e) {
                LOG.infof("Partitions of %s not dropped this pass: %s", day, Unreachable.describe(e));
            }
        }
        return retired;
    }

    /** The days that have partitions, oldest first (the legacy and default partitions are no day). */
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

    boolean create(LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try {
            QuarkusTransaction.requiringNew().run(() -> session().doWork(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(LOCK_TIMEOUT);
                    for (String table : TABLES) {
                        // Names and bounds come from a date, never from input.
                        s.execute("CREATE TABLE IF NOT EXISTS " + name(table, day) + " PARTITION OF " + table
                                + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
                    }
                }
            }));
            return true;
        } catch (RuntimeException e) {
            // E.g. the default partition already holds rows of that day: they stay there, retention deletes them.
            LOG.warnf("Partitions of %s not created: %s", day, Unreachable.describe(e));
            return false;
        }
    }

    private Retired drop(LocalDate day, long readUpTo) {
        return session().doReturningWork(c -> {
            long first;
            long last;
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT min(id) AS first_id, max(id) AS last_id FROM " + name("raw_delivery", day))) {
                r.next();
                first = r.getLong("first_id");
                last = r.getLong("last_id");
            }
            if (last > readUpTo) {
                return null; // the projection has not read all of it yet
            }
            try (Statement s = c.createStatement()) {
                s.execute(LOCK_TIMEOUT);
                for (String table : TABLES.reversed()) {
                    s.execute("DROP TABLE " + name(table, day));
                }
            }
            return new Retired(day, first, last);
        });
    }

    static String name(String table, LocalDate day) {
        return table + "_p" + SUFFIX.format(day);
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
