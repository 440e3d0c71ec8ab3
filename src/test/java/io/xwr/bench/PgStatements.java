package io.xwr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Where PostgreSQL's time went during a load run ({@code -Dbench.pg-statements=true}): the top statements of
 * pg_stat_statements by total execution time, written as a table for docs/benchmarks.md.
 */
final class PgStatements {
    private PgStatements() {}

    static void reset(Map<String, String> db) throws SQLException {
        try (Connection c = connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    static void write(Map<String, String> db, Path out) throws SQLException, IOException {
        StringBuilder table = new StringBuilder(
                "| statement | calls | rows | total ms | mean ms |\n| --- | --- | --- | --- | --- |\n");
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT left(regexp_replace(query, '\\$[0-9]+(, \\$[0-9]+)*', '?', 'g'), 110), sum(calls),
                               sum(rows), sum(total_exec_time), sum(total_exec_time) / sum(calls)
                        FROM pg_stat_statements GROUP BY 1 ORDER BY 4 DESC LIMIT 20
                        """)) {
            while (r.next()) {
                table.append(String.format(
                        "| `%s` | %,d | %,d | %,.0f | %.3f |%n",
                        r.getString(1).replace('\n', ' ').replace("|", "\\|"),
                        r.getLong(2),
                        r.getLong(3),
                        r.getDouble(4),
                        r.getDouble(5)));
            }
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println(table);
    }

    private static Connection connect(Map<String, String> db) throws SQLException {
        return DriverManager.getConnection(
                db.get("quarkus.datasource.jdbc.url"),
                db.get("quarkus.datasource.username"),
                db.get("quarkus.datasource.password"));
    }
}
