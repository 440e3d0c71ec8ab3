package io.xwr.xapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);

    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theReplayBudgetOf100Per15MinutesIsKeptBeforeXHasToRefuse() {
        MovableClock clock = new MovableClock();
        RateLimits limits = new RateLimits(clock);
        for (int i = 0; i < 100; i++) {
            clock.now = T0.plusSeconds(i);
            limits.admit("replay", 100, WINDOW);
        }

        XApiException.RateLimited refused =
                assertThrows(XApiException.RateLimited.class, () -> limits.admit("replay", 100, WINDOW));

        assertEquals(T0.plus(WINDOW), refused.resetAt(), "the oldest request leaves the window then");
        clock.now = T0.plus(WINDOW);
        limits.admit("replay", 100, WINDOW);
        assertThrows(XApiException.RateLimited.class, () -> limits.admit("replay", 100, WINDOW));
    }

    @Test
    void after429NothingOfTheGroupGoesBeforeXsResetButOtherGroupsDo() {
        MovableClock clock = new MovableClock();
        RateLimits limits = new RateLimits(clock);

        assertEquals(T0.plusSeconds(90), limits.limited("webhooks", T0.plusSeconds(90)));

        assertThrows(XApiException.RateLimited.class, () -> limits.admit("webhooks", 0, WINDOW));
        limits.admit("activity-subscriptions", 0, WINDOW);
        clock.now = T0.plusSeconds(90);
        limits.admit("webhooks", 0, WINDOW);
        assertNull(limits.blockedUntil("webhooks"));
    }

    @Test
    void without429ResetHeaderAWholeWindowIsWaited() {
        MovableClock clock = new MovableClock();
        RateLimits limits = new RateLimits(clock);

        assertEquals(T0.plus(RateLimits.DEFAULT_HOLD), limits.limited("replay", null));
    }
}
