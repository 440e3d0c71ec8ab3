package io.xwr.replay;

import io.xwr.coverage.Interval;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Turns a gap into the replay windows X accepts (spec 5.6 and 6): minute granularity, a margin around the gap,
 * a start no older than X's 24 hours (minus a safety margin), a start at least 31 and an end at least 10
 * minutes in the past, and at most two hours per job. Progress is read from the jobs already asked, so a
 * window X never confirms is not asked for again and again.
 */
public final class ReplayPlanner {
    /** X keeps 24 h; stay inside it so a request queued for a while is still accepted. */
    static final Duration OLDEST = Duration.ofHours(24).minusMinutes(10);

    static final Duration START_AGE = Duration.ofMinutes(31);
    static final Duration END_AGE = Duration.ofMinutes(10);
    static final Duration MAX_SPAN = Duration.ofHours(2);
    /** No window is asked of X more than twice. */
    static final int MAX_REQUESTS = 2;

    private final Duration margin;
    private final Duration startAge;
    private final Duration endAge;
    private final Duration maxSpan;

    /** With X's documented window rules. */
    public ReplayPlanner(Duration margin) {
        this(margin, START_AGE, END_AGE, MAX_SPAN);
    }

    public ReplayPlanner(Duration margin, Duration startAge, Duration endAge, Duration maxSpan) {
        if (maxSpan.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("a replay window spans at least one minute: " + maxSpan);
        }
        this.margin = margin;
        this.startAge = startAge;
        this.endAge = endAge;
        this.maxSpan = maxSpan;
    }

    /** What to do next for a gap. */
    public sealed interface Next {
        /** Ask X for this window now. */
        record Ask(ReplayWindow window) implements Next {}

        /** X would refuse the next window until then. */
        record Wait(Instant until) implements Next {}

        /** Every window of the gap is settled. */
        record Done() implements Next {}
    }

    /** The minutes to replay for a gap: a margin on each side, whole minutes, one minute past the end. */
    public Interval span(Interval gap) {
        return new Interval(
                floor(gap.from().minus(margin)), floor(gap.to().plus(margin)).plus(1, ChronoUnit.MINUTES));
    }

    /** The gap's start that yields a span starting at {@code spanFrom}: where a trimmed gap is cut. */
    public Instant gapStartFor(Instant spanFrom) {
        return spanFrom.plus(margin);
    }

    /** The oldest window start X accepts at {@code now}. */
    public Instant horizon(Instant now) {
        return ceil(now.minus(OLDEST));
    }

    /**
     * The first instant of the span no settled job covers. A job settles what it covers once X confirmed it
     * complete, once it went unconfirmed (requested; the planner moves on), or once its window was asked twice;
     * an incomplete or unknown outcome leaves it to be asked once more.
     */
    public Instant cursor(Interval span, List<StoredReplayJob> asked) {
        Instant cursor = span.from();
        boolean moved = true;
        while (moved && cursor.isBefore(span.to())) {
            moved = false;
            Instant at = cursor;
            List<StoredReplayJob> covering = asked.stream()
                    .filter(j ->
                            !j.window().from().isAfter(at) && j.window().to().isAfter(at))
                    .toList();
            boolean settled = covering.size() >= MAX_REQUESTS
                    || covering.stream()
                            .anyMatch(j -> j.state() == ReplayState.COMPLETE || j.state() == ReplayState.UNCONFIRMED);
            if (settled) {
                for (StoredReplayJob j : covering) {
                    if (j.window().to().isAfter(cursor)) {
                        cursor = j.window().to();
                        moved = true;
                    }
                }
            }
        }
        return cursor.isAfter(span.to()) ? span.to() : cursor;
    }

    /** The next window from {@code cursor} to at most the span's end, or when X will accept it. */
    public Next next(Instant cursor, Instant spanEnd, Instant now) {
        if (!cursor.isBefore(spanEnd)) {
            return new Next.Done();
        }
        Instant end = min(spanEnd, floor(cursor.plus(maxSpan)));
        // X wants the start 31 and the end 10 minutes in the past; the full window or nothing, never part twice
        if (cursor.isAfter(floor(now.minus(startAge))) || end.isAfter(floor(now.minus(endAge)))) {
            Instant startOk = cursor.plus(startAge);
            Instant endOk = end.plus(endAge);
            return new Next.Wait(startOk.isAfter(endOk) ? startOk : endOk);
        }
        return new Next.Ask(new ReplayWindow(cursor, end));
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
