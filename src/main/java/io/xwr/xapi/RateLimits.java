package io.xwr.xapi;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What X's rate limits allow right now, per endpoint (X counts each method and path on its own): after a 429 nothing to that endpoint is sent before
 * X's reset time, and budgets X documents (replay: 100 per 15 minutes) are counted here before X has to say
 * no. Per replica; X counts per app, so the budget is a ceiling, and X's 429 remains the authority.
 */
@ApplicationScoped
public class RateLimits {
    private final Clock clock;
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> spent = new ConcurrentHashMap<>();

    RateLimits(Clock clock) {
        this.clock = clock;
    }

    /**
     * Admits one request of the group, or throws {@link XApiException.RateLimited} with the time it may go.
     * A {@code budget} of 0 means no budget is counted for the group.
     */
    public void admit(String group, int budget, Duration window) {
        Instant now = clock.instant();
        Instant until = blockedUntil.get(group);
        if (until != null && now.isBefore(until)) {
            throw new XApiException.RateLimited(group, until);
        }
        if (budget > 0) {
            Deque<Instant> sent = spent.computeIfAbsent(group, g -> new ArrayDeque<>());
            synchronized (sent) {
                while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
                    sent.pollFirst();
                }
                if (sent.size() >= budget) {
                    throw new XApiException.RateLimited(group, sent.peekFirst().plus(window));
                }
                sent.addLast(now);
            }
        }
    }

    /** Without X's reset header, wait a whole rate-limit window rather than hammer X. */
    static final Duration DEFAULT_HOLD = Duration.ofMinutes(15);

    /**
     * X answered 429 for the group: hold it until X's reset ({@code null} when X sent none: a whole window).
     * Returns the time the group is held until.
     */
    public Instant limited(String group, Instant resetAt) {
        Instant now = clock.instant();
        Instant until = resetAt == null ? now.plus(DEFAULT_HOLD) : resetAt;
        return blockedUntil.merge(group, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When the group may be called again, or null if now. */
    public Instant blockedUntil(String group) {
        Instant until = blockedUntil.get(group);
        return until != null && clock.instant().isBefore(until) ? until : null;
    }
}
