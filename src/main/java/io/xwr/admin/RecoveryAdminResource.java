package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.Interval;
import io.xwr.replay.ReplayJobs;
import io.xwr.web.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Gaps and replay jobs for operators, and asking for a replay by hand. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryAdminResource {
    private final GapLog gaps;
    private final ReplayJobs jobs;
    private final Clock clock;

    RecoveryAdminResource(GapLog gaps, ReplayJobs jobs, Clock clock) {
        this.gaps = gaps;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** A window to replay: ISO-8601 instants, within X's last 24 hours. */
    @RegisterForReflection
    public record ReplayRequest(String from, String to) {}

    @GET
    @Path("/gaps")
    public Response gaps(@QueryParam("limit") Integer limit) {
        return Response.ok(gaps.recent(clamp(limit))).build();
    }

    @GET
    @Path("/replays")
    public Response replays(@QueryParam("limit") Integer limit) {
        return Response.ok(jobs.recent(clamp(limit))).build();
    }

    /**
     * Records the window as a gap to replay; the replay leader submits it once X accepts it (start 31 and end
     * 10 minutes old). Answers 202 with where to follow it.
     */
    @POST
    @Path("/replays")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(ReplayRequest request) {
        Instant from;
        Instant to;
        try {
            from = Instant.parse(request.from());
            to = Instant.parse(request.to());
        } catch (NullPointerException | DateTimeParseException e) {
            return Problem.response(
                    Response.Status.BAD_REQUEST, "bad-request", "from and to must be ISO-8601 instants.");
        }
        Instant now = clock.instant();
        if (!from.isBefore(to) || to.isAfter(now) || from.isBefore(now.minus(Duration.ofHours(24)))) {
            return Problem.response(
                    Response.Status.BAD_REQUEST,
                    "bad-request",
                    "The window must end in the past and start after it, within X's last 24 hours.");
        }
        boolean added = gaps.record(GapCause.MANUAL, null, new Interval(from, to), now);
        return Response.status(Response.Status.ACCEPTED)
                .entity(Map.of("from", from.toString(), "to", to.toString(), "recorded", added))
                .build();
    }

    private static int clamp(Integer limit) {
        return limit == null ? 100 : Math.max(1, Math.min(500, limit));
    }
}
