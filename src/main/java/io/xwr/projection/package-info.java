/**
 * The projection behind the raw log: on the replica holding its lease, reads committed deliveries in id order,
 * normalizes them ({@code event}) and records what they mean through {@code store}; quarantines what it cannot
 * read. The ack path ({@code ingress}) never waits for it.
 */
package io.xwr.projection;
