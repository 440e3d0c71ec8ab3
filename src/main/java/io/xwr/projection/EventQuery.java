package io.xwr.projection;

import java.time.Instant;

/**
 * A page request over stored events, newest first. Null filters match everything; {@code before} is the
 * cursor (an event id) returned as {@link EventPage#nextBefore()} by the previous page.
 */
public record EventQuery(String accountId, String type, Instant since, Instant until, Long before, int limit) {
    public static final int MAX_LIMIT = 500;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }
}
