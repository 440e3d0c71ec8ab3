package io.xwr.rawlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.xwr.compliance.Retention;
import io.xwr.testing.Db;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The raw log's daily partitions on PostgreSQL: a week ahead exists, and retention drops whole days. */
@QuarkusTest
class PartitionsTest {
    @Inject
    Partitions partitions;

    @Inject
    Retention retention;

    @Inject
    DataSource dataSource;

    @Test
    void todayAndTheWeekAheadHavePartitionsFromTheStart() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LocalDate> days = partitions.days();
        for (int d = 0; d <= Partitions.DAYS_AHEAD; d++) {
            assertTrue(days.contains(today.plusDays(d)), "partitions of " + today.plusDays(d) + " in " + days);
        }
        assertEquals(0, partitions.ensureAhead(), "nothing left to create");
    }

    @Test
    void retentionDropsAWholeDayOnlyOnceTheProjectionHasReadIt() throws SQLException {
        // Given: a day 40 days back with its own partitions, three deliveries in it, their links and a quarantine row
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(40);
        assertTrue(partitions.create(old));
        Instant noon =
                old.atStartOfDay(ZoneOffset.UTC).plus(12, ChronoUnit.HOURS).toInstant();
        List<Long> ids = append(noon, 3);
        Db db = new Db(dataSource).awaitProjected();
        String in = "(" + ids.getFirst() + ", " + ids.get(1) + ", " + ids.getLast() + ")";
        assertEquals(3, db.count("SELECT count(*) FROM delivery_account WHERE delivery_id IN " + in));
        assertEquals(3, db.count("SELECT count(*) FROM delivery_post WHERE delivery_id IN " + in));
        try (Connection c = dataSource.getConnection();
                PreparedStatement quarantine = c.prepareStatement("INSERT INTO quarantine (delivery_id, reason,"
                        + " quarantined_at, attempts) VALUES (?, 'test', CURRENT_TIMESTAMP, 1)")) {
            quarantine.setLong(1, ids.getFirst());
            quarantine.executeUpdate();
        }
        Instant cutoff = Instant.now().minus(30, ChronoUnit.DAYS);

        // When: the projection has (for this call) read nothing, the day stays
        assertTrue(partitions.retireBefore(cutoff, 0).isEmpty());
        assertTrue(partitions.days().contains(old));

        // When: retention runs after the projection read it
        Retention.Removed removed = retention.removeBefore(cutoff, 1_000);

        // Then: the day's partitions are gone with everything in them, newer days stay
        assertTrue(removed.days().stream().anyMatch(r -> r.day().equals(old)), removed.toString());
        assertFalse(partitions.days().contains(old));
        assertTrue(partitions.days().contains(LocalDate.now(ZoneOffset.UTC)));
        for (String table : Partitions.TABLES) {
            assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = ?", Partitions.name(table, old)));
        }
        assertEquals(0, db.count("SELECT count(*) FROM raw_delivery WHERE id IN " + in));
        assertEquals(0, db.count("SELECT count(*) FROM delivery_account WHERE delivery_id IN " + in));
        assertEquals(0, db.count("SELECT count(*) FROM delivery_post WHERE delivery_id IN " + in));
        assertEquals(0, db.count("SELECT count(*) FROM quarantine WHERE delivery_id IN " + in));
    }

    @Test
    void aNewDayKeepsHowTheLogStoresItsBodies() throws SQLException {
        // Given: the log's bodies stored another way than PostgreSQL's default (as lz4 compression is, where the
        // server has it; storage is what every server can change)
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(50);
        Db db = new Db(dataSource);
        String storage =
                "SELECT a.attstorage::text || '/' || a.attcompression::text FROM pg_attribute a WHERE a.attrelid = ?::regclass"
                        + " AND a.attname = 'body'";
        try {
            sql("ALTER TABLE raw_delivery ALTER COLUMN body SET STORAGE MAIN");

            // When: a day's partitions are created
            assertTrue(partitions.create(day));

            // Then: its bodies are stored as the log's are
            assertEquals(db.single(storage, "raw_delivery"), db.single(storage, Partitions.name("raw_delivery", day)));
            assertEquals(
                    "m",
                    db.single(storage, Partitions.name("raw_delivery", day))
                            .toString()
                            .substring(0, 1));
        } finally {
            sql("ALTER TABLE raw_delivery ALTER COLUMN body SET STORAGE EXTENDED");
            for (String table : Partitions.TABLES) {
                sql("DROP TABLE IF EXISTS " + Partitions.name(table, day));
            }
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * Appends deliveries received at {@code at}, inside the log barrier as the ack path does, each carrying an
     * account and a post so the projection links them (X's AAA shape).
     */
    private List<Long> append(Instant at, int n) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement barrier = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
                barrier.setLong(1, LogBarrier.KEY);
                barrier.execute();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO raw_delivery (received_at, body, body_sha256, headers, secret_fingerprint)"
                            + " VALUES (?, ?, 'test', '{}', 'test') RETURNING id")) {
                for (int i = 0; i < n; i++) {
                    long post = 1_900_000_000_000_000_000L + System.nanoTime() % 1_000_000_000L + i;
                    String body = "{\"for_user_id\":\"4040\",\"tweet_create_events\":[{\"id_str\":\"" + post
                            + "\",\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"text\":\"old\","
                            + "\"user\":{\"id_str\":\"4040\",\"screen_name\":\"old\"}}]}";
                    insert.setObject(1, at.atOffset(ZoneOffset.UTC));
                    insert.setBytes(2, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    try (ResultSet r = insert.executeQuery()) {
                        r.next();
                        ids.add(r.getLong("id"));
                    }
                }
            }
            c.commit();
        }
        return ids;
    }
}
