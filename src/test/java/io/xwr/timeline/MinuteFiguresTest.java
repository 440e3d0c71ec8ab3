package io.xwr.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A minute's percentiles come from what the ack timer recorded during that minute only. */
class MinuteFiguresTest {
    private final Timer acks = Timer.builder("acks")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    @Test
    void percentilesOfTheMinuteIgnoreWhatCameBefore() {
        // Given: a slow earlier minute
        for (int i = 0; i < 100; i++) {
            acks.record(Duration.ofMillis(900));
        }
        HistogramSnapshot before = acks.takeSnapshot();

        // When: this minute, 98 fast acks and 2 slow ones, sampled in two steps
        MinuteFigures minute = new MinuteFigures(Instant.parse("2026-12-07T10:15:00Z"));
        for (int i = 0; i < 49; i++) {
            acks.record(Duration.ofMillis(2));
        }
        HistogramSnapshot middle = acks.takeSnapshot();
        minute.addAcks(before, middle);
        for (int i = 0; i < 49; i++) {
            acks.record(Duration.ofMillis(2));
        }
        acks.record(Duration.ofMillis(400));
        acks.record(Duration.ofMillis(400));
        minute.addAcks(middle, acks.takeSnapshot());

        // Then
        assertEquals(100, minute.deliveries);
        double p50 = minute.percentile(0.5);
        double p99 = minute.percentile(0.99);
        assertTrue(p50 >= 2 && p50 < 4, "p50 " + p50);
        assertTrue(p99 >= 400 && p99 < 600, "p99 " + p99);
    }

    @Test
    void aMinuteWithoutDeliveriesHasNoLatency() {
        MinuteFigures minute = new MinuteFigures(Instant.parse("2026-12-07T10:16:00Z"));
        HistogramSnapshot now = acks.takeSnapshot();
        minute.addAcks(now, now);
        assertEquals(0, minute.deliveries);
        assertNull(minute.percentile(0.99));
    }
}
