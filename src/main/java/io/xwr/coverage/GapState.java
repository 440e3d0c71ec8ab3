package io.xwr.coverage;

/** Where a gap's recovery stands. */
public enum GapState {
    /** Known; its replay windows are not all accepted by X yet (too fresh, or waiting for a turn). */
    WAITING,
    /** Replay jobs submitted, not all complete. */
    REPLAYING,
    /** Every window was replayed completely. */
    RECOVERED,
    /** Every window was requested, but X confirmed not all of them (no status, or incomplete twice). */
    UNCONFIRMED,
    /** Beyond X's replay horizon (24 hours) before it could be replayed; a gap's trimmed part is its own LOST row. */
    LOST
}
