package io.xwr.coverage;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/** The leader jobs of this replica: one lease each, given up when the replica stops. */
@ApplicationScoped
public class LeaderJobs {
    private static final Logger LOG = Logger.getLogger(LeaderJobs.class);

    private final Leases leases;
    private final Replica replica;
    private final List<LeaderJob> jobs = new CopyOnWriteArrayList<>();

    public LeaderJobs(Leases leases, Replica replica) {
        this.leases = leases;
        this.replica = replica;
    }

    /** The job {@code name}, whose lease a run takes or renews for {@code ttl}. */
    public LeaderJob job(String name, Duration ttl) {
        LeaderJob job = new LeaderJob(leases, replica.id(), name, ttl);
        jobs.add(job);
        return job;
    }

    void stepDown(@Observes ShutdownEvent event) {
        for (LeaderJob job : jobs) {
            try {
                job.stepDown();
            } catch (RuntimeException e) {
                // the database may be away: the lease then simply expires
                LOG.debugf("Lease %s not given up: %s", job.name(), e.getClass().getSimpleName());
            }
        }
    }
}
