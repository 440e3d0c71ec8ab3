package io.xwr.event;

/** How far a signed delivery could be understood. Every status is stored; none is dropped. */
public enum ParseStatus {
    /** Valid JSON of a known family; every element became a known event type. */
    PARSED,
    /** Valid JSON, but the family or at least one event type is unknown (kept as {@code UnknownActivity}). */
    UNKNOWN,
    /** Not a JSON object at all; only the raw delivery is kept. */
    UNPARSEABLE
}
