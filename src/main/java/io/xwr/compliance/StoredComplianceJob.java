package io.xwr.compliance;

import java.time.Instant;

/**
 * One batch compliance job as the audit shows it: which ids of which window went to X, where the job stands and
 * what X's answer did. Never its pre-signed URLs.
 *
 * @param state {@code WAITING} (at X), {@code DONE}, {@code FAILED} (to be asked again) or {@code REPLACED}
 * @param actions X's reasons and how many ids had each, e.g. {@code deleted=2, scrub_geo=1}
 */
public record StoredComplianceJob(
        long id,
        String type,
        String xJobId,
        String state,
        Instant windowFrom,
        Instant windowTo,
        int idsChecked,
        String xStatus,
        Integer actionsTaken,
        String actions,
        String note,
        Instant createdAt,
        Instant updatedAt) {}
