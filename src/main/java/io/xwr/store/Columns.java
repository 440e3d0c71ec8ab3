package io.xwr.store;

/** Column-size guards: a value X sent too long must never fail the transaction that acknowledges it. */
final class Columns {
    private Columns() {}

    static String clip(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        return value.substring(0, max);
    }
}
