package io.xwr.replay;

/** Where a replay job stands. */
public enum ReplayState {
    /** Asked of X (or possibly: its answer was lost); no {@code replay_job_status} yet. */
    SUBMITTED,
    /** X re-delivered the whole window. */
    COMPLETE,
    /** X says it could not deliver everything: the window is asked for once more. */
    INCOMPLETE,
    /**
     * Requested, unconfirmed: no status within the completion timeout (X documents none for {@code POST
     * /2/webhooks/replay}). The planner moves on; a status arriving later still settles the job.
     */
    UNCONFIRMED,
    /** X reported a {@code job_state} this service does not know; kept as X wrote it in the description. */
    REPORTED
}
