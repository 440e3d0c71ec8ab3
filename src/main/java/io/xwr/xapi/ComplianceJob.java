package io.xwr.xapi;

import java.time.Instant;

/**
 * A batch compliance job at X ({@code /2/compliance/jobs}): its state ({@code created}, {@code in_progress},
 * {@code complete}, {@code failed}, {@code expired}) and the pre-signed URLs to upload the ids to and download the
 * answer from. The URLs grant access on their own: never logged.
 */
public record ComplianceJob(
        String id, String type, String status, String uploadUrl, String downloadUrl, Instant downloadExpiresAt) {

    public boolean complete() {
        return "complete".equalsIgnoreCase(status);
    }

    /** X gave up on it: ask again with a new job. */
    public boolean failed() {
        return "failed".equalsIgnoreCase(status) || "expired".equalsIgnoreCase(status);
    }

    @Override
    public String toString() { // the URLs stay out of logs and exception messages
        return "ComplianceJob[id=" + id + ", type=" + type + ", status=" + status + "]";
    }
}
