package io.xwr.admin;

import io.xwr.web.Problem;
import io.xwr.xapi.XApiException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What an operator sees when X refuses or cannot be reached: X's reason, and when to try again. */
public class XApiProblems {
    private final Clock clock;

    XApiProblems(Clock clock) {
        this.clock = clock;
    }

    @ServerExceptionMapper
    public Response rejected(XApiException.Rejected e) {
        if ("NotConfigured".equals(e.reason())) {
            return Problem.response(
                    Response.Status.SERVICE_UNAVAILABLE,
                    "x-not-configured",
                    "X's API is not configured: set xwr.x.bearer-token (XWR_X_BEARER_TOKEN).");
        }
        Response.Status status =
                switch (e.status()) {
                    case 400 -> Response.Status.BAD_REQUEST;
                    case 404 -> Response.Status.NOT_FOUND;
                    case 409 -> Response.Status.CONFLICT;
                    default -> Response.Status.BAD_GATEWAY;
                };
        return Problem.response(status, "x-refused", "X answered " + e.status() + " " + e.reason() + ".");
    }

    @ServerExceptionMapper
    public Response rateLimited(XApiException.RateLimited e) {
        long seconds =
                Math.max(1, Duration.between(clock.instant(), e.resetAt()).toSeconds());
        Response problem = Problem.response(
                Response.Status.TOO_MANY_REQUESTS,
                "x-rate-limited",
                "X's rate limit for this call resets at " + e.resetAt() + ".");
        return Response.fromResponse(problem).header("Retry-After", seconds).build();
    }

    @ServerExceptionMapper({XApiException.Unavailable.class, CircuitBreakerOpenException.class, TimeoutException.class})
    public Response unavailable(Exception e) {
        Response problem = Problem.response(
                Response.Status.SERVICE_UNAVAILABLE, "x-unavailable", "X's API is not answering; try again shortly.");
        return Response.fromResponse(problem).header("Retry-After", 30).build();
    }
}
