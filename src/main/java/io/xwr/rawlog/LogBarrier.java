package io.xwr.rawlog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * How far the projection may read the raw log. Ids are drawn when a delivery is inserted, not when it commits, so
 * with several writers (threads, replicas) a smaller id can become visible after a larger one, and a reader
 * going by ids alone would pass it by. Appends hold a shared lock from before their ids are drawn until they
 * commit; the projection takes the lock exclusively for a moment and reads the largest id: every id up to it is
 * then final (committed, or never to be). On PostgreSQL it is a transaction-scoped advisory lock, shared by all
 * replicas; on H2 (one process, dev mode) a read-write lock in the JVM.
 */
@ApplicationScoped
public class LogBarrier {
    /** The advisory lock's key: "xwrlog". */
    static final long KEY = 0x7877726c6f67L;

    private final EntityManager em;
    private final boolean postgres;
    private final ReentrantReadWriteLock inJvm = new ReentrantReadWriteLock();

    LogBarrier(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        this.em = em;
        this.postgres = dbKind.toLowerCase(java.util.Locale.ROOT).startsWith("postgres");
    }

    /** Runs one append transaction, begin to commit, inside the barrier. */
    public <T> T append(Supplier<T> transaction) {
        if (postgres) {
            return transaction.get();
        }
        inJvm.readLock().lock();
        try {
            return transaction.get();
        } finally {
            inJvm.readLock().unlock();
        }
    }

    /** The first statement of an append transaction, before any id is drawn. */
    void enter(Connection connection) throws SQLException {
        if (postgres) {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock_shared(" + KEY + ")");
            }
        }
    }

    /**
     * The largest id such that every delivery up to it is final. Waits for the appends in flight (a few
     * milliseconds), at most {@code timeoutMillis}; throws if they take longer (the next try will do).
     */
    public long horizon(long timeoutMillis) {
        if (!postgres) {
            try {
                if (!inJvm.writeLock().tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("appends in flight for over " + timeoutMillis + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the log barrier", e);
            }
            try {
                return QuarkusTransaction.requiringNew().call(() -> maxId(null));
            } finally {
                inJvm.writeLock().unlock();
            }
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> maxId("SET LOCAL lock_timeout = '" + timeoutMillis + "ms'"));
    }

    private long maxId(String setTimeout) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (Statement s = connection.createStatement()) {
                if (setTimeout != null) {
                    s.execute(setTimeout);
                    s.execute("SELECT pg_advisory_xact_lock(" + KEY + ")");
                }
                try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM raw_delivery")) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }
}
