package io.xwr.coverage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where nobody was listening: the parts of a span that no replica's coverage interval touches. A replica
 * extends its interval with each heartbeat, so two intervals closer than the tolerance (a missed beat or
 * two) count as one; only holes longer than the tolerance are gaps.
 */
public final class Holes {
    private Holes() {}

    public static List<Interval> in(Interval span, List<Interval> covered, Duration tolerance) {
        List<Interval> sorted = covered.stream()
                .filter(c -> c.to().isAfter(span.from()) && c.from().isBefore(span.to()))
                .sorted(Comparator.comparing(Interval::from))
                .toList();
        List<Interval> holes = new ArrayList<>();
        Instant cursor = span.from();
        for (Interval c : sorted) {
            if (c.from().isAfter(cursor)) {
                add(holes, cursor, c.from(), tolerance);
            }
            if (c.to().isAfter(cursor)) {
                cursor = c.to();
            }
        }
        if (span.to().isAfter(cursor)) {
            add(holes, cursor, span.to(), tolerance);
        }
        return holes;
    }

    private static void add(List<Interval> holes, Instant from, Instant to, Duration tolerance) {
        if (Duration.between(from, to).compareTo(tolerance) > 0) {
            holes.add(new Interval(from, to));
        }
    }
}
