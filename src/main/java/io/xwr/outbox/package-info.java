/**
 * The only home of Kafka: the relay that drains the outbox, the CloudEvents mapping, and the transactional
 * producer. Never called from the request path; it reads what {@code store} committed.
 */
package io.xwr.outbox;
