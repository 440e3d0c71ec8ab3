package io.xwr.compliance;

import io.xwr.event.Erasure;
import java.time.Instant;

/** A purge as audited: what, why, when asked, when done, and how many rows it emptied. Never content. */
public record StoredPurge(
        long id,
        Erasure.Kind kind,
        String subjectId,
        PurgeReason reason,
        String note,
        Instant requestedAt,
        Instant doneAt,
        Integer eventsPurged,
        Integer deliveriesPurged,
        Integer outboxPurged) {}
