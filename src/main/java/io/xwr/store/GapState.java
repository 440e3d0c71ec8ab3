package io.xwr.store;

/** Where a gap's recovery stands. */
public enum GapState {
    /** Known; its replay windows are not all accepted by X yet (too fresh, or waiting for a turn). */
    WAITING,
    /** Replay jobs submitted, not all complete. */
    REPLAYING,
    /** Every window was replayed completely. */
    RECOVERED,
    /** Beyond X's 24 hours, entirely or in part, before it could be replayed. */
    LOST
}
