/**
 * The projection behind the raw log: on the replica holding its lease, reads committed deliveries in id order,
 * normalizes them ({@code event}), inserts events (deduplicated by key), links deliveries to posts and accounts,
 * requests purges and appends to the outbox, in one transaction per batch; quarantines what it cannot read and
 * re-projects on request. Owns the SQL of {@code activity_event}, the links, the projection position, quarantine
 * and re-projections, and the read model the admin API pages through. The ack path never waits for it.
 */
package io.xwr.projection;
