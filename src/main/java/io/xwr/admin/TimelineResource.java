package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.StoredGap;
import io.xwr.replay.ReplayJobs;
import io.xwr.replay.StoredReplayJob;
import io.xwr.timeline.ActivityTimeline;
import io.xwr.timeline.Minute;
import io.xwr.web.Problem;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /admin/timeline?range=hour|day}: the operator page's charts. Deliveries and events per bucket (a minute
 * over the last hour, a quarter of an hour over the last day), ack latency percentiles and outbox lag (the worst
 * minute of the bucket), and the gaps and replay windows that fall in the range, to mark on the time axis.
 */
@Path("/admin/timeline")
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {
    private final ActivityTimeline timeline;
    private final GapLog gaps;
    private final ReplayJobs replays;
    private final Clock clock;

    TimelineResource(ActivityTimeline timeline, GapLog gaps, ReplayJobs replays, Clock clock) {
        this.timeline = timeline;
        this.gaps = gaps;
        this.replays = replays;
        this.clock = clock;
    }

    /** A window to mark: a gap (by cause and state) or a replay job (by state). */
    @RegisterForReflection
    public record Window(String kind, Instant from, Instant to, String label, String state) {}

    @RegisterForReflection
    public record Timeline(Instant from, Instant to, long bucketSeconds, List<Minute> points, List<Window> windows) {}

    @GET
    public Response timeline(@QueryParam("range") @DefaultValue("hour") String range) {
        Duration span;
        Duration bucket;
        switch (range) {
            case "hour" -> {
                span = Duration.ofHours(1);
                bucket = Duration.ofMinutes(1);
            }
            case "day" -> {
                span = Duration.ofDays(1);
                bucket = Duration.ofMinutes(15);
            }
            default -> {
                return Problem.response(Response.Status.BAD_REQUEST, "bad-range", "range must be hour or day.");
            }
        }
        Instant now = clock.instant();
        List<Minute> points = timeline.read(now, span, bucket);
        Instant to = now;
        Instant from = now.minus(span);
        List<Window> windows = new java.util.ArrayList<>();
        for (StoredGap gap : gaps.recent(200)) {
            if (overlaps(gap.window().from(), gap.window().to(), from, to)) {
                windows.add(new Window(
                        "gap",
                        gap.window().from(),
                        gap.window().to(),
                        gap.cause().name(),
                        gap.state().name()));
            }
        }
        for (StoredReplayJob job : replays.recent(200)) {
            if (overlaps(job.window().from(), job.window().to(), from, to)) {
                windows.add(new Window(
                        "replay",
                        job.window().from(),
                        job.window().to(),
                        job.xJobId(),
                        job.state().name()));
            }
        }
        return Response.ok(new Timeline(from, to, bucket.toSeconds(), points, windows))
                .build();
    }

    private static boolean overlaps(Instant start, Instant end, Instant from, Instant to) {
        return start.isBefore(to) && end.isAfter(from);
    }
}
