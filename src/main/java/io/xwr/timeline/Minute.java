package io.xwr.timeline;

import java.time.Instant;

/**
 * One minute on the page's time axis, summed or maxed over the replicas: deliveries acknowledged, events recorded,
 * the ack latency percentiles (ms; null without deliveries), and the outbox's lag (s, the worst seen).
 */
public record Minute(
        Instant at, long deliveries, long events, Double ackP50Ms, Double ackP99Ms, Double outboxLagSeconds) {}
