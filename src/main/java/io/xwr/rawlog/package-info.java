/**
 * The raw log: every signed delivery appended byte for byte, one row each, with group commit ({@link
 * io.xwr.rawlog.GroupCommit}); the barrier that tells readers how far the log is final ({@link
 * io.xwr.rawlog.LogBarrier}) and the signal that wakes them. Owns {@code raw_delivery}'s writes; knows nothing of
 * what a delivery means.
 */
package io.xwr.rawlog;
