package io.xwr.replay;

import io.xwr.coverage.Interval;
import java.time.Instant;

/** A replay job as recorded. */
public record StoredReplayJob(
        long id,
        Long gapId,
        String webhookId,
        String xJobId,
        Interval window,
        ReplayState state,
        Instant submittedAt,
        Instant finishedAt,
        String description) {}
