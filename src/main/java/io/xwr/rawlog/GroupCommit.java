package io.xwr.rawlog;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.xwr.config.GroupCommitConfig;
import io.xwr.signature.VerifiedDelivery;
import io.xwr.store.Unreachable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Group commit for the ack path. A request hands its delivery to a writer and is answered when it is done (the
 * HTTP event loop never waits); the writer appends everything that has queued up to the raw log in one
 * transaction, so under load one commit (one fsync) acknowledges many deliveries. Each caller still returns only
 * after its own batch committed. If a batch fails, its deliveries are appended one by one, so one bad delivery
 * fails only itself; a database that is away fails them all at once. A commit wakes the projection.
 */
@Startup
@ApplicationScoped
public class GroupCommit {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    private final Function<List<VerifiedDelivery>, List<Long>> append;
    private final Batcher<VerifiedDelivery, Long> batcher;

    GroupCommit(
            DeliveryRecorder recorder,
            LogBarrier barrier,
            LogSignal signal,
            GroupCommitConfig config,
            MeterRegistry registry) {
        DistributionSummary sizes = DistributionSummary.builder("xwr.store.batch.size")
                .description("Deliveries per database transaction (group commit)")
                .register(registry);
        this.append = deliveries -> {
            List<Long> ids = barrier.append(() -> recorder.appendAll(deliveries));
            signal.appended();
            return ids;
        };
        this.batcher = config.enabled()
                ? new Batcher<>(
                        append,
                        config.maxBatch(),
                        config.maxWait().toNanos(),
                        config.writers(),
                        sizes::record,
                        config.maxQueued())
                : null;
        if (batcher == null) {
            LOG.info("Group commit is off: every delivery commits alone");
        }
    }

    /**
     * Appends the delivery to the raw log without holding the caller's thread (the HTTP event loop): the stage
     * completes with its id, on a writer thread, once the transaction holding it has committed, or fails.
     */
    public CompletionStage<Long> recordAsync(VerifiedDelivery delivery) {
        CompletableFuture<Long> recorded = batcher == null
                ? CompletableFuture.supplyAsync(
                        () -> append.apply(List.of(delivery)).getFirst(), ALONE)
                : batcher.submitAsync(delivery);
        return recorded.exceptionallyCompose(e -> CompletableFuture.failedFuture(notRecordedIfError(unwrap(e))));
    }

    /** Without group commit each delivery commits alone, on a thread of its own, as a blocking call would. */
    private static final Executor ALONE = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("xwr-commit-", 0).factory());

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * PostgreSQL's driver fails an internal assertion when its connection dies in the middle of a JDBC batch (seen
     * with the database stopped under load). For the caller it means one thing: not recorded, answer 503, and X
     * retries.
     */
    private static Throwable notRecordedIfError(Throwable e) {
        return e instanceof AssertionError ? new NotRecorded(e) : e;
    }

    /** The delivery was not recorded for a reason that is no exception of the database's own. */
    public static final class NotRecorded extends RuntimeException {
        NotRecorded(Throwable cause) {
            super("delivery not recorded: " + cause, cause);
        }

        NotRecorded(String why) {
            super("delivery not recorded: " + why);
        }
    }

    @PreDestroy
    void stop() {
        if (batcher != null) {
            batcher.stop();
        }
    }

    /**
     * The batching itself, apart from CDI and the database: items queue, writers take what has queued (waiting up
     * to {@code maxWaitNanos} for more once they found company), and write it with {@code writeAll}.
     */
    static final class Batcher<I, R> {
        private final BlockingQueue<Queued<I, R>> queue;
        private final Function<List<I>, List<R>> writeAll;
        private final int maxBatch;
        private final long maxWaitNanos;
        private final java.util.function.DoubleConsumer batchSizes;
        private final List<Thread> writers = new ArrayList<>();
        private volatile boolean running = true;

        private record Queued<I, R>(I item, CompletableFuture<R> result) {}

        Batcher(
                Function<List<I>, List<R>> writeAll,
                int maxBatch,
                long maxWaitNanos,
                int writers,
                java.util.function.DoubleConsumer batchSizes,
                int maxQueued) {
            // Bounded: with nothing waiting per request any more, a slow database would otherwise let deliveries
            // pile up long past X's timeout; beyond the bound they are refused at once (503, X retries).
            this.queue = new LinkedBlockingQueue<>(Math.max(1, maxQueued));
            this.writeAll = writeAll;
            this.maxBatch = Math.max(1, maxBatch);
            this.maxWaitNanos = Math.max(0, maxWaitNanos);
            this.batchSizes = batchSizes;
            for (int i = 0; i < Math.max(1, writers); i++) {
                Thread t = Thread.ofPlatform()
                        .name("xwr-group-commit-" + i)
                        .daemon(true)
                        .start(this::run);
                this.writers.add(t);
            }
        }

        R submit(I item) {
            try {
                return submitAsync(item).join();
            } catch (CompletionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case Error err -> throw err;
                    default -> throw e;
                }
            }
        }

        /** Queues the item; the future completes once its batch committed (or failed). */
        CompletableFuture<R> submitAsync(I item) {
            if (!running) {
                // Shutting down: written alone, off the caller's thread.
                return CompletableFuture.supplyAsync(
                        () -> writeAll.apply(List.of(item)).getFirst(), ALONE);
            }
            CompletableFuture<R> result = new CompletableFuture<>();
            Queued<I, R> queued = new Queued<>(item, result);
            if (!queue.offer(queued)) {
                return CompletableFuture.failedFuture(
                        new NotRecorded("the database is behind: " + queue.size() + " deliveries wait already"));
            }
            if (!running && queue.remove(queued)) {
                // stop() may have drained the queue already: nobody else would answer this one.
                CompletableFuture.runAsync(() -> write(List.of(queued)), ALONE);
            }
            return result;
        }

        private void run() {
            while (running) {
                List<Queued<I, R>> batch = new ArrayList<>(maxBatch);
                try {
                    batch.add(queue.take());
                    queue.drainTo(batch, maxBatch - 1);
                    if (batch.size() > 1 && maxWaitNanos > 0) {
                        long deadline = System.nanoTime() + maxWaitNanos;
                        while (batch.size() < maxBatch) {
                            Queued<I, R> next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                            if (next == null) {
                                break;
                            }
                            batch.add(next);
                            queue.drainTo(batch, maxBatch - batch.size());
                        }
                    }
                } catch (InterruptedException e) {
                    write(batch); // what was taken is still owed an answer (before the flag: JDBC would see it)
                    Thread.currentThread().interrupt();
                    return;
                }
                write(batch);
            }
        }

        private void write(List<Queued<I, R>> batch) {
            if (batch.isEmpty()) {
                return;
            }
            batchSizes.accept(batch.size());
            try {
                List<R> results =
                        writeAll.apply(batch.stream().map(Queued::item).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(results.get(i));
                }
                return;
            } catch (RuntimeException | Error e) {
                if (batch.size() == 1 || Unreachable.is(e)) {
                    batch.forEach(q -> q.result().completeExceptionally(e));
                    return;
                }
            }
            // Some delivery spoiled the batch: each one alone, so the others still commit.
            for (Queued<I, R> q : batch) {
                try {
                    q.result().complete(writeAll.apply(List.of(q.item())).getFirst());
                } catch (RuntimeException | Error e) {
                    q.result().completeExceptionally(e);
                }
            }
        }

        void stop() {
            running = false;
            writers.forEach(Thread::interrupt);
            for (Thread t : writers) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // Whatever queued while the writers left is still owed an answer: written one by one, here.
            List<Queued<I, R>> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(q -> write(List.of(q)));
        }
    }
}
