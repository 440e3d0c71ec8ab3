/**
 * The operator page's time axis: each replica samples what it measured (deliveries acknowledged, their ack
 * latency, events recorded, outbox lag) once a minute into {@code ops_minute}; the page reads those minutes
 * across replicas for the last hour or day.
 */
package io.xwr.timeline;
