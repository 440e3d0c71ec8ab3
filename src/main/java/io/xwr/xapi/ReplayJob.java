package io.xwr.xapi;

import java.time.Instant;

/** A replay job X accepted. */
public record ReplayJob(String jobId, Instant createdAt) {}
