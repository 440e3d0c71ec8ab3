package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.OperatorView;
import io.xwr.outbox.Outbox;
import io.xwr.outbox.OutboxStats;
import io.xwr.replay.ReplayJobs;
import io.xwr.replay.ReplayState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code GET /admin/status}: the figures at the top of the operator page, for all replicas together. */
@Path("/admin/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    private final OperatorView view;
    private final Outbox outbox;
    private final GapLog gaps;
    private final ReplayJobs jobs;
    private final Clock clock;

    StatusResource(OperatorView view, Outbox outbox, GapLog gaps, ReplayJobs jobs, Clock clock) {
        this.view = view;
        this.outbox = outbox;
        this.gaps = gaps;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * The service as operators see it; {@code lastCrcAnswer} and {@code secondsSinceLastCrc} are null until X has
     * checked the webhook once. X re-checks about daily: more than 25 hours without a CRC means X stopped looking.
     */
    @RegisterForReflection
    public record Status(
            Instant now,
            Instant lastCrcAnswer,
            Long secondsSinceLastCrc,
            OperatorView.Rates rates,
            OutboxStats outbox,
            Map<GapState, Long> gaps,
            Map<ReplayState, Long> replays) {}

    @GET
    public Status status() {
        Instant now = clock.instant();
        Instant lastCrc = view.lastCrcAnswer();
        return new Status(
                now,
                lastCrc,
                lastCrc == null ? null : Duration.between(lastCrc, now).toSeconds(),
                view.rates(now),
                outbox.stats(),
                gaps.countByState(),
                jobs.countByState());
    }
}
