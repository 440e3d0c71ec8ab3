package io.xwr.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xwr.coverage.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        Interval span = planner.span(new Interval(t("11:50:20"), t("11:55:40")));

        // Then: window 11:48 to 11:58 (margin, whole minutes, one past the end); its start must be 31 min old
        assertEquals(new Interval(t("11:48:00"), t("11:58:00")), span);
        assertEquals(new ReplayPlanner.Next.Wait(t("12:19:00")), planner.next(span.from(), span.to(), NOON));
        assertEquals(
                new ReplayPlanner.Next.Ask(new ReplayWindow(t("11:48:00"), t("11:58:00"))),
                planner.next(span.from(), span.to(), t("12:19:00")));
    }

    @Test
    void theEndMustBeTenMinutesOld() {
        // a gap that is old at its start but ends just now: wait for the end, do not ask for part of it
        Interval span = planner.span(new Interval(t("11:00:00"), t("11:59:00")));

        assertEquals(new ReplayPlanner.Next.Wait(t("12:12:00")), planner.next(span.from(), span.to(), NOON));
    }

    @Test
    void aLongGapIsAskedTwoHoursAtATimeFromWhereTheSettledJobsEnd() {
        Interval span = planner.span(new Interval(t("06:00:00"), t("11:00:00")));
        List<StoredReplayJob> asked = new ArrayList<>();

        List<ReplayWindow> windows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant cursor = planner.cursor(span, asked);
            if (!(planner.next(cursor, span.to(), NOON) instanceof ReplayPlanner.Next.Ask(ReplayWindow w))) {
                break;
            }
            windows.add(w);
            asked.add(job(w, ReplayState.UNCONFIRMED)); // X sent no status: move on
        }

        assertEquals(
                List.of(
                        new ReplayWindow(t("05:58:00"), t("07:58:00")),
                        new ReplayWindow(t("07:58:00"), t("09:58:00")),
                        new ReplayWindow(t("09:58:00"), t("11:03:00"))),
                windows);
        assertEquals(new ReplayPlanner.Next.Done(), planner.next(planner.cursor(span, asked), span.to(), NOON));
    }

    @Test
    void otherWindowRulesFromConfigurationAreFollowed() {
        // X answering other window rules (say 5 and 1 minutes old, 30 minutes per job)
        ReplayPlanner other =
                new ReplayPlanner(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(30));
        Interval span = other.span(new Interval(t("11:00:00"), t("11:50:30")));

        assertEquals(
                new ReplayPlanner.Next.Ask(new ReplayWindow(t("11:00:00"), t("11:30:00"))),
                other.next(span.from(), span.to(), NOON));
        assertEquals(new ReplayPlanner.Next.Wait(t("11:52:00")), other.next(t("11:30:00"), span.to(), t("11:51:30")));
        assertEquals(
                new ReplayPlanner.Next.Ask(new ReplayWindow(t("11:30:00"), t("11:51:00"))),
                other.next(t("11:30:00"), span.to(), NOON));
    }

    @Test
    void anIncompleteWindowIsAskedOnceMoreAndNeverAThirdTime() {
        Interval span = planner.span(new Interval(t("06:00:00"), t("07:00:00")));
        ReplayWindow window = new ReplayWindow(t("05:58:00"), t("07:03:00"));

        List<StoredReplayJob> once = List.of(job(window, ReplayState.INCOMPLETE));
        List<StoredReplayJob> twice = List.of(job(window, ReplayState.INCOMPLETE), job(window, ReplayState.REPORTED));

        assertEquals(span.from(), planner.cursor(span, once));
        assertEquals(span.to(), planner.cursor(span, twice));
        assertEquals(span.to(), planner.cursor(span, List.of(job(window, ReplayState.COMPLETE))));
    }

    @Test
    void theHorizonIsXsDayLessTenMinutesOnAWholeMinute() {
        assertEquals(t("12:10:00").minus(Duration.ofDays(1)), planner.horizon(NOON));
        assertEquals(t("12:11:00").minus(Duration.ofDays(1)), planner.horizon(NOON.plusSeconds(1)));
    }

    private static StoredReplayJob job(ReplayWindow w, ReplayState state) {
        return new StoredReplayJob(1, 1L, "1", "x", new Interval(w.from(), w.to()), state, NOON, NOON, state.name());
    }
}
