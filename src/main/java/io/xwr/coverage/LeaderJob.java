package io.xwr.coverage;

import java.time.Duration;
import java.time.Instant;

/**
 * A periodic job one replica runs at a time: the replica holding the job's lease, taken or renewed at each run
 * for {@code ttl}. Should the leader die, another replica takes over once the lease expires; one that stops
 * cleanly steps down at once ({@link LeaderJobs}).
 */
public final class LeaderJob {
    private final Leases leases;
    private final String holder;
    private final String name;
    private final Duration ttl;

    LeaderJob(Leases leases, String holder, String name, Duration ttl) {
        this.leases = leases;
        this.holder = holder;
        this.name = name;
        this.ttl = ttl;
    }

    /** Whether this replica leads the job now: it then holds the lease until {@code now + ttl}. */
    public boolean leads(Instant now) {
        return leases.acquire(name, holder, now, ttl);
    }

    /** Gives the lease up, so another replica leads at its next run. */
    public void stepDown() {
        leases.release(name, holder);
    }

    public String name() {
        return name;
    }
}
