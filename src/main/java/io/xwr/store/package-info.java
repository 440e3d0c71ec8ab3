/**
 * JDBC plumbing shared by the packages that own tables: named-column helpers, multi-row inserts, telling an
 * unreachable database from a refused statement. Each stage keeps its SQL in its own package (raw log, projection,
 * outbox, coverage, replay, compliance); this package decides nothing and knows none of them.
 */
package io.xwr.store;
