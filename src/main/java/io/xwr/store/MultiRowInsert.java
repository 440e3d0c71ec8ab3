package io.xwr.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One {@code INSERT ... VALUES (...), (...), ...} per chunk of rows, on PostgreSQL and H2 alike. PostgreSQL pays its
 * per-statement costs (executor start, a lock on the table and on each of its indexes) once per statement: for a
 * group-commit batch a multi-row insert cost it a quarter of the CPU of the same rows as a JDBC batch of one-row
 * statements (docs/benchmarks.md). Rows are inserted, and identity ids drawn, in list order.
 */
public final class MultiRowInsert<T> {
    /** At most this many rows per statement: a few hundred parameters, one statement text per row count. */
    static final int MAX_ROWS = 64;

    /** Binds one row's values at parameters {@code first}, {@code first + 1}, ... */
    public interface Binder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    /** Reads the generated columns of the rows a chunk inserted, starting at row {@code offset} of the list. */
    public interface KeyReader {
        void read(ResultSet keys, int offset, int rows) throws SQLException;
    }

    private final String head;
    private final String tuple;
    private final int width;
    private final String tail;

    /** {@code INSERT INTO table (columns) VALUES ... tail}; {@code tail} is e.g. {@code ON CONFLICT DO NOTHING}. */
    public MultiRowInsert(String table, List<String> columns, String tail) {
        this.head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        this.tuple = "(" + Columns.marks(columns.size()) + ")";
        this.width = columns.size();
        this.tail = tail.isEmpty() ? "" : " " + tail;
    }

    /** Inserts every row; returns how many rows the database says it inserted. */
    public int execute(Connection connection, List<T> rows, Binder<T> binder) throws SQLException {
        return run(connection, rows, binder, null, null);
    }

    /** Inserts every row and hands the generated {@code keyColumns} of each chunk to {@code reader}. */
    public int execute(Connection connection, List<T> rows, Binder<T> binder, String[] keyColumns, KeyReader reader)
            throws SQLException {
        return run(connection, rows, binder, keyColumns, reader);
    }

    private int run(Connection connection, List<T> rows, Binder<T> binder, String[] keyColumns, KeyReader reader)
            throws SQLException {
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += MAX_ROWS) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
            String sql = sql(chunk.size());
            try (PreparedStatement insert = keyColumns == null
                    ? connection.prepareStatement(sql)
                    : connection.prepareStatement(sql, keyColumns)) {
                for (int i = 0; i < chunk.size(); i++) {
                    binder.bind(insert, i * width + 1, chunk.get(i));
                }
                inserted += insert.executeUpdate();
                if (reader != null) {
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        reader.read(keys, from, chunk.size());
                    }
                }
            }
        }
        return inserted;
    }

    String sql(int rows) {
        StringBuilder sql = new StringBuilder(head.length() + rows * (tuple.length() + 2) + tail.length());
        sql.append(head);
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(tuple);
        }
        return sql.append(tail).toString();
    }
}
