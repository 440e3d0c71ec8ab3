package io.xwr.replay;

import io.xwr.store.Interval;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a gap into the replay windows X accepts (spec 5.6 and 6): minute granularity, a margin around the gap,
 * a start no older than X's 24 hours (minus a safety margin), a start at least 31 and an end at least 10
 * minutes in the past, and at most two hours per job. A fresh gap is not ready yet: the plan says when it is.
 */
public final class ReplayPlanner {
    /** X keeps 24 h; stay inside it so a request queued for a while is still accepted. */
    static final Duration OLDEST = Duration.ofHours(24).minusMinutes(10);

    static final Duration START_AGE = Duration.ofMinutes(31);
    static final Duration END_AGE = Duration.ofMinutes(10);
    static final Duration MAX_SPAN = Duration.ofHours(2);

    private final Duration margin;

    public ReplayPlanner(Duration margin) {
        this.margin = margin;
    }

    /**
     * The plan for a gap at {@code now}: the windows to ask for now, oldest first; when the rest becomes
     * ready (null when nothing is left); and whether part of the gap is already beyond X's reach.
     */
    public record Plan(List<ReplayWindow> ready, Instant nextReadyAt, boolean partlyLost) {}

    public Plan plan(Interval gap, Instant now) {
        Instant from = floor(gap.from().minus(margin));
        Instant to = floor(gap.to().plus(margin)).plus(1, ChronoUnit.MINUTES);
        Instant oldest = ceil(now.minus(OLDEST));
        boolean lost = from.isBefore(oldest);
        if (lost) {
            from = oldest;
        }
        if (!from.isBefore(to)) {
            return new Plan(List.of(), null, lost);
        }
        List<ReplayWindow> ready = new ArrayList<>();
        Instant start = from;
        while (start.isBefore(to)) {
            Instant end = min(to, start.plus(MAX_SPAN));
            // X wants the end 10 and the start 31 minutes in the past
            Instant latestEnd = floor(now.minus(END_AGE));
            Instant latestStart = floor(now.minus(START_AGE));
            if (start.isAfter(latestStart)) {
                return new Plan(ready, readyAt(start, end), lost);
            }
            if (end.isAfter(latestEnd)) {
                // the full window is not ready: wait rather than ask for part of it twice
                return new Plan(ready, readyAt(start, end), lost);
            }
            ready.add(new ReplayWindow(start, end));
            start = end;
        }
        return new Plan(ready, null, lost);
    }

    private static Instant readyAt(Instant start, Instant end) {
        Instant startOk = start.plus(START_AGE);
        Instant endOk = end.plus(END_AGE);
        return startOk.isAfter(endOk) ? startOk : endOk;
    }

    static Instant floor(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    static Instant ceil(Instant t) {
        Instant f = floor(t);
        return f.equals(t) ? f : f.plus(1, ChronoUnit.MINUTES);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
