package io.xwr.xapi;

import java.time.Instant;

/**
 * X answered a call with an error. The subtype decides what fault tolerance does with it: a {@link Rejected}
 * call is never retried (the request itself is wrong), {@link RateLimited} waits for X's reset time, and
 * {@link Unavailable} is retried with back-off and counts toward the circuit breaker.
 */
public abstract sealed class XApiException extends RuntimeException {
    private final int status;
    private final String reason;

    XApiException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status X answered. */
    public int status() {
        return status;
    }

    /** X's reason, e.g. {@code CrcValidationFailed}, {@code ReplayConflictError}; else the problem title. */
    public String reason() {
        return reason;
    }

    /** 4xx other than 429: X refused the request as such; retrying the same call cannot help. */
    public static final class Rejected extends XApiException {
        public Rejected(int status, String reason, String detail) {
            super(status, reason, "X refused the call with " + status + " " + reason + detail(detail));
        }
    }

    /** 429, or our own count of X's budget exhausted: no call reaches X before {@link #resetAt()}. */
    public static final class RateLimited extends XApiException {
        private final Instant resetAt;

        public RateLimited(String group, Instant resetAt) {
            super(429, "RateLimited", "X rate limit for " + group + (resetAt == null ? "" : " until " + resetAt));
            this.resetAt = resetAt;
        }

        /** When calls may go again; null only inside the client, before the caller applied its default. */
        public Instant resetAt() {
            return resetAt;
        }
    }

    /** 5xx: X is failing; worth retrying later. */
    public static final class Unavailable extends XApiException {
        public Unavailable(int status, String reason) {
            super(status, reason, "X is unavailable: " + status + " " + reason);
        }
    }

    private static String detail(String detail) {
        return detail == null || detail.isBlank() ? "" : ": " + detail;
    }
}
