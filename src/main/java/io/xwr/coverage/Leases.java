package io.xwr.coverage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.hibernate.Session;

/**
 * Which replica runs a periodic job: the holder of the job's lease row until it expires. Taking or renewing is
 * one conditional write, so of several replicas trying at once exactly one succeeds (the row lock serializes
 * them and the loser's condition no longer holds). Works the same on PostgreSQL and H2.
 */
@ApplicationScoped
public class Leases {
    private final EntityManager em;

    Leases(EntityManager em) {
        this.em = em;
    }

    /** True when {@code holder} now holds the lease {@code name} until {@code now + ttl}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean acquire(String name, String holder, Instant now, Duration ttl) {
        Session session = em.unwrap(Session.class);
        int renewed = session.createNativeMutationQuery("""
                        UPDATE job_lease SET holder = :holder, expires_at = :expires
                        WHERE name = :name AND (holder = :holder OR expires_at < :now)
                        """)
                .setParameter("holder", holder)
                .setParameter("expires", now.plus(ttl), Instant.class)
                .setParameter("name", name)
                .setParameter("now", now, Instant.class)
                .executeUpdate();
        if (renewed == 1) {
            return true;
        }
        return session.createNativeMutationQuery(
                                "INSERT INTO job_lease (name, holder, expires_at) VALUES (:name, :holder, :expires)"
                                        + " ON CONFLICT DO NOTHING")
                        .setParameter("name", name)
                        .setParameter("holder", holder)
                        .setParameter("expires", now.plus(ttl), Instant.class)
                        .executeUpdate()
                == 1;
    }

    /** Gives the lease up (on shutdown), so another replica takes over at once. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(String name, String holder) {
        em.unwrap(Session.class)
                .createNativeMutationQuery("DELETE FROM job_lease WHERE name = :name AND holder = :holder")
                .setParameter("name", name)
                .setParameter("holder", holder)
                .executeUpdate();
    }
}
