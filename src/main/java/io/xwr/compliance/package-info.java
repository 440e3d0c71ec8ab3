/**
 * X's data rules in time: carries out purges (deleted posts, revoking users, operators' requests) and retention,
 * each on the replica holding its lease. The SQL lives in {@code store}; this package decides when, never what an
 * event means.
 */
package io.xwr.compliance;
