package io.xwr.store;

import java.sql.SQLException;

/** Telling the database being away (retry later, blame nobody) from a failure one row caused. */
public final class Unreachable {
    private Unreachable() {}

    /** The database itself is away (connection refused or lost, pool exhausted): retrying row by row cannot help. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && (sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                            || String.valueOf(sql.getMessage()).contains("Acquisition timeout"))) {
                return true;
            }
            if (t instanceof AssertionError) {
                return true; // pgjdbc's own assertion when its connection dies mid-batch
            }
        }
        return false;
    }

    /**
     * The root cause, safe to log: SQL messages can quote row values ("Failing row contains ..."), so for them
     * only the SQLState; connection failures (class 08) keep their message, which names the host and nothing else.
     */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            return t.getClass().getSimpleName() + " SQLState=" + state
                    + (state != null && state.startsWith("08") ? ": " + t.getMessage() : "");
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + clip(t.getMessage()));
    }

    private static String clip(String message) {
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
