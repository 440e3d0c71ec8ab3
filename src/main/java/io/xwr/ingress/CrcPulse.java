package io.xwr.ingress;

import io.quarkus.scheduler.Scheduled;
import io.xwr.coverage.OperatorView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers when this replica last answered a CRC and writes it to the database every few seconds, off the CRC
 * path: the answer itself never waits for storage. Operators see the newest answer of any replica.
 */
@ApplicationScoped
class CrcPulse {
    private final AtomicReference<Instant> unsaved = new AtomicReference<>();
    private final OperatorView view;
    private final Clock clock;

    CrcPulse(OperatorView view, Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    /** Called on the I/O thread for every CRC answered: memory only. */
    void answered() {
        unsaved.set(clock.instant());
    }

    @Scheduled(identity = "xwr-crc-pulse", every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Instant at = unsaved.getAndSet(null);
        if (at == null) {
            return;
        }
        try {
            view.crcAnswered(at);
        } catch (RuntimeException e) {
            // Database away: keep the time for the next try unless a newer answer took its place.
            unsaved.compareAndSet(null, at);
        }
    }
}
