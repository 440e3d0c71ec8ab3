package io.xwr.rawlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * An installation upgraded to daily partitions (db/postgresql/V12) keeps what it stored: the old rows stay
 * readable in the attached legacy partition, links and quarantine too, and new ids continue after the old ones.
 * Run in a schema of its own on the tests' PostgreSQL, migrated up to V11 first as a running installation is.
 */
@QuarkusTest
class PartitionUpgradeTest {
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> password;

    @Test
    void rowsStoredBeforePartitioningStayAndNewIdsFollowThem() throws SQLException {
        String schema = "upgrade_" + System.nanoTime();
        try {
            flyway(schema, "11").migrate();
            long old;
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + schema + ".raw_delivery (received_at, body, body_sha256, headers,"
                        + " secret_fingerprint) VALUES (CURRENT_TIMESTAMP - INTERVAL '3 days', '\\x7b7d', 'a', '{}',"
                        + " 'f'), (CURRENT_TIMESTAMP, '\\x7b7d', 'b', '{}', 'f')");
                old = single(s, "SELECT max(id) FROM " + schema + ".raw_delivery");
                s.executeUpdate("INSERT INTO " + schema + ".delivery_account (delivery_id, account_id, received_at)"
                        + " SELECT id, '12', received_at FROM " + schema + ".raw_delivery");
                s.executeUpdate("INSERT INTO " + schema + ".delivery_post (delivery_id, post_id, received_at)"
                        + " SELECT id, '34', received_at FROM " + schema + ".raw_delivery");
                s.executeUpdate("INSERT INTO " + schema + ".quarantine (delivery_id, reason, quarantined_at)"
                        + " VALUES (" + old + ", 'r', CURRENT_TIMESTAMP)");
            }

            flyway(schema, "latest").migrate();

            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                for (String table : Partitions.TABLES) {
                    assertEquals(
                            1,
                            single(
                                    s,
                                    "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid ="
                                            + " p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                                            + schema + "' AND c.relname = '" + table + "'"),
                            table + " is partitioned");
                }
                assertEquals(2, single(s, "SELECT count(*) FROM " + schema + ".raw_delivery"));
                assertEquals(2, single(s, "SELECT count(*) FROM " + schema + ".raw_delivery_legacy"));
                assertEquals(
                        2, single(s, "SELECT count(*) FROM " + schema + ".delivery_account WHERE account_id = '12'"));
                assertEquals(2, single(s, "SELECT count(*) FROM " + schema + ".delivery_post WHERE post_id = '34'"));
                assertEquals(1, single(s, "SELECT count(*) FROM " + schema + ".quarantine"));
                long next = single(
                        s,
                        "INSERT INTO " + schema + ".raw_delivery (received_at, body, body_sha256, headers,"
                                + " secret_fingerprint) VALUES (CURRENT_TIMESTAMP + INTERVAL '2 days', '\\x7b7d', 'c',"
                                + " '{}', 'f') RETURNING id");
                assertTrue(next > old, "new ids follow the old ones: " + next + " after " + old);
                assertEquals(
                        1,
                        single(
                                s,
                                "SELECT count(*) FROM " + schema + ".raw_delivery WHERE id = " + next
                                        + " AND tableoid::regclass::text LIKE '%raw_delivery_p%'"),
                        "the day after tomorrow has its own partition");
            }
        } finally {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private Flyway flyway(String schema, String target) {
        // Connections of its own, never the service's pool: Flyway sets the search_path of what it is given.
        return Flyway.configure()
                .dataSource(url, user, password.orElse(""))
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration", "classpath:db/postgresql")
                .target(target)
                .load();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password.orElse(""));
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
