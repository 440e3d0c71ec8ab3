package io.xwr.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xwr.store.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPlannerTest {
    private static final Instant NOON = Instant.parse("2026-11-22T12:00:00Z");
    private final ReplayPlanner planner = new ReplayPlanner(Duration.ofMinutes(2));

    private static Instant t(String time) {
        return Instant.parse("2026-11-22T" + time + "Z");
    }

    @Test
    void aFreshGapWaitsUntilXAcceptsItsWindow() {
        // Given: down from 11:50:20 to 11:55:40, now is noon
        Interval gap = new Interval(t("11:50:20"), t("11:55:40"));

        // When
        ReplayPlanner.Plan plan = planner.plan(gap, NOON);

        // Then: window 11:48 to 11:58 (margin, whole minutes, one past the end); start must be 31 min old
        assertEquals(List.of(), plan.ready());
        assertEquals(t("12:19:00"), plan.nextReadyAt());
        ReplayPlanner.Plan later = planner.plan(gap, t("12:19:00"));
        assertEquals(List.of(new ReplayWindow(t("11:48:00"), t("11:58:00"))), later.ready());
        assertNull(later.nextReadyAt());
    }

    @Test
    void theEndMustBeTenMinutesOld() {
        // a gap that is old at its start but ends just now: wait for the end, do not ask twice
        Interval gap = new Interval(t("11:00:00"), t("11:59:00"));

        ReplayPlanner.Plan plan = planner.plan(gap, NOON);

        assertEquals(List.of(), plan.ready());
        assertEquals(t("12:12:00"), plan.nextReadyAt()); // end 12:02 (margin, +1 min) + 10 min
    }

    @Test
    void longGapsAreSplitIntoTwoHourWindows() {
        Interval gap = new Interval(t("06:00:00"), t("11:00:00"));

        ReplayPlanner.Plan plan = planner.plan(gap, NOON);

        assertEquals(
                List.of(
                        new ReplayWindow(t("05:58:00"), t("07:58:00")),
                        new ReplayWindow(t("07:58:00"), t("09:58:00")),
                        new ReplayWindow(t("09:58:00"), t("11:03:00"))),
                plan.ready());
        assertTrue(plan.ready().stream().allMatch(w -> !w.to().isAfter(w.from().plus(Duration.ofHours(2)))));
        assertNull(plan.nextReadyAt());
        assertFalse(plan.partlyLost());
    }

    @Test
    void whatIsOlderThanXKeepsIsReportedLostAndTheRestReplayed() {
        Interval gap = new Interval(NOON.minus(Duration.ofHours(30)), NOON.minus(Duration.ofHours(23)));

        ReplayPlanner.Plan plan = planner.plan(gap, NOON);

        assertTrue(plan.partlyLost());
        assertEquals(
                t("12:10:00").minus(Duration.ofDays(1)), plan.ready().getFirst().from());
        assertTrue(plan.ready().stream().allMatch(w -> !w.from().isBefore(NOON.minus(Duration.ofHours(24)))));
    }

    @Test
    void aGapEntirelyBeyondXsReachPlansNothing() {
        Interval gap = new Interval(NOON.minus(Duration.ofHours(40)), NOON.minus(Duration.ofHours(30)));

        ReplayPlanner.Plan plan = planner.plan(gap, NOON);

        assertEquals(List.of(), plan.ready());
        assertNull(plan.nextReadyAt());
        assertTrue(plan.partlyLost());
    }
}
