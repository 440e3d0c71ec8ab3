package io.xwr.timeline;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What one replica measured in one minute, accumulated from registry snapshots taken during the minute: the ack
 * timer's histogram buckets give the minute's own percentiles (a delta of cumulative counts), not a decaying
 * window's.
 */
final class MinuteFigures {
    final Instant minute;
    long deliveries;
    double events;
    Double outboxLagSeconds;
    private double[] bucketBounds = new double[0];
    private double[] bucketCounts = new double[0];

    MinuteFigures(Instant minute) {
        this.minute = minute;
    }

    /** Adds the difference between two snapshots of the ack timer (null: no timer yet). */
    void addAcks(HistogramSnapshot before, HistogramSnapshot now) {
        if (now == null) {
            return;
        }
        deliveries += now.count() - (before == null ? 0 : before.count());
        CountAtBucket[] after = now.histogramCounts();
        CountAtBucket[] earlier = before == null ? new CountAtBucket[0] : before.histogramCounts();
        if (bucketBounds.length != after.length) {
            bucketBounds = new double[after.length];
            bucketCounts = new double[after.length];
        }
        for (int i = 0; i < after.length; i++) {
            bucketBounds[i] = after[i].bucket(TimeUnit.MILLISECONDS);
            double was = i < earlier.length ? earlier[i].count() : 0;
            bucketCounts[i] += after[i].count() - was;
        }
    }

    void lag(double seconds) {
        if (!Double.isNaN(seconds)) {
            outboxLagSeconds = outboxLagSeconds == null ? seconds : Math.max(outboxLagSeconds, seconds);
        }
    }

    /** The upper bound (ms) of the bucket holding the q-th quantile; null without deliveries this minute. */
    Double percentile(double q) {
        // bucket counts are cumulative (values at or under each bound); the total includes values over the last
        double total = deliveries;
        if (total <= 0 || bucketCounts.length == 0) {
            return null;
        }
        for (int i = 0; i < bucketCounts.length; i++) {
            if (bucketCounts[i] >= q * total) {
                return bucketBounds[i];
            }
        }
        return bucketBounds[bucketBounds.length - 1];
    }
}
