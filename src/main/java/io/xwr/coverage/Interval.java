package io.xwr.coverage;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A half-open span of time [from, to). */
public record Interval(Instant from, Instant to) {
    public Interval {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("interval ends before it starts: " + from + " > " + to);
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
