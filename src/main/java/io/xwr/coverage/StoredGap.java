package io.xwr.coverage;

import java.time.Instant;

/** A gap as recorded. */
public record StoredGap(
        long id,
        GapCause cause,
        String webhookId,
        Interval window,
        GapState state,
        Instant detectedAt,
        Instant updatedAt,
        String note) {}
