package io.xwr.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolesTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration TOLERANCE = Duration.ofSeconds(30);

    private static Interval at(int fromMinute, int toMinute) {
        return new Interval(T0.plus(Duration.ofMinutes(fromMinute)), T0.plus(Duration.ofMinutes(toMinute)));
    }

    @Test
    void noCoverageIsOneHole() {
        assertEquals(List.of(at(0, 60)), Holes.in(at(0, 60), List.of(), TOLERANCE));
    }

    @Test
    void overlappingReplicasLeaveOnlyTheTimeNobodyCovered() {
        // replica a 0-20 and 40-60, replica b 10-25: nobody from 25 to 40
        List<Interval> covered = List.of(at(0, 20), at(40, 60), at(10, 25));

        assertEquals(List.of(at(25, 40)), Holes.in(at(0, 60), covered, TOLERANCE));
    }

    @Test
    void aMissedBeatWithinTheToleranceIsNoGap() {
        Interval first = new Interval(T0, T0.plusSeconds(100));
        Interval second = new Interval(T0.plusSeconds(120), T0.plusSeconds(300));

        assertEquals(List.of(), Holes.in(new Interval(T0, T0.plusSeconds(300)), List.of(first, second), TOLERANCE));
    }

    @Test
    void holesAtBothEndsOfTheSpanCount() {
        assertEquals(List.of(at(0, 5), at(50, 60)), Holes.in(at(0, 60), List.of(at(5, 50)), TOLERANCE));
    }

    @Test
    void coverageOutsideTheSpanIsIgnored() {
        assertEquals(List.of(at(10, 20)), Holes.in(at(10, 20), List.of(at(0, 10), at(20, 30)), TOLERANCE));
    }
}
