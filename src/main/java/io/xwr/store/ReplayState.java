package io.xwr.store;

/** Where a replay job stands. */
public enum ReplayState {
    /** X accepted it; its {@code replay_job_status} has not arrived. */
    SUBMITTED,
    /** X re-delivered the whole window. */
    COMPLETE,
    /** X says it could not deliver everything: the window is asked for again. */
    INCOMPLETE,
    /** No status within the completion timeout: the window is asked for again. */
    TIMED_OUT
}
