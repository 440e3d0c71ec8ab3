/**
 * X's data rules in time: purges (deleted posts, revoking users, operators' requests), their audit and
 * tombstones, and retention, each run on the replica holding its lease. Owns the {@code purge} table; which event
 * types erase comes from {@code event}, bound as parameters. Decides when, never what an event means.
 */
package io.xwr.compliance;
