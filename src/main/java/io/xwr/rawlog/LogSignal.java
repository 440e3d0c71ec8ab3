package io.xwr.rawlog;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-process wake-up from the append path to the projection: a commit that added deliveries ends the
 * projection's wait at once, instead of at its next poll. Replicas that do not project only poll.
 */
@ApplicationScoped
public class LogSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long appends;

    /** Deliveries were committed to the log. */
    public void appended() {
        lock.lock();
        try {
            appends++;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The count of appends so far, to wait for the next one with {@link #awaitAfter}. */
    public long appends() {
        lock.lock();
        try {
            return appends;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an append after {@code seen}, or {@code timeout}; returns the count of appends then. */
    public long awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (appends == seen && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
            return appends;
        } finally {
            lock.unlock();
        }
    }
}
