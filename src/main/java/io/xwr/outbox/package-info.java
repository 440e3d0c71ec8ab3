/**
 * The only home of Kafka: the outbox's SQL (append, lanes, claims, parking), the relay that drains it, the
 * CloudEvents mapping rendered at publish time from what is stored now, and the transactional producer. Never
 * called from the request path, and it never projects: it publishes what the projection committed.
 */
package io.xwr.outbox;
