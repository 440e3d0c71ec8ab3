package io.xwr.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xwr.event.Family;
import io.xwr.event.Normalization;
import io.xwr.event.ParseStatus;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The group-commit batching rules, with a writer that stands in for the database transaction. */
class GroupCommitBatcherTest {
    private static final AtomicLong IDS = new AtomicLong();

    @Test
    void concurrentDeliveriesShareTransactionsAndEachGetsItsOwnResult() throws Exception {
        // Given: a slow commit (as an fsync is), and 200 deliveries arriving together
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Batcher batcher = new GroupCommit.Batcher(
                items -> {
                    batches.add(items.size());
                    sleep(5);
                    return items.stream().map(GroupCommitBatcherTest::recorded).toList();
                },
                64,
                2_000_000,
                2,
                size -> {},
                10_000);
        List<DeliveryRecorder.Item> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(item("d" + i));
        }

        // When
        List<Recorded> results = submitAll(batcher, items);

        // Then: far fewer transactions than deliveries, none over the limit, every caller answered with its own
        assertEquals(200, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.size() < 50, "transactions: " + batches.size());
        assertTrue(batches.stream().allMatch(n -> n <= 64), batches.toString());
        for (int i = 0; i < 200; i++) {
            assertEquals(
                    "d" + i,
                    results.get(i).newEventKeys().getFirst().value(),
                    "caller " + i + " got someone else's result");
        }
        batcher.stop();
    }

    @Test
    void aLoneDeliveryIsWrittenAtOnce() {
        // Given
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Batcher batcher = new GroupCommit.Batcher(
                items -> {
                    batches.add(items.size());
                    return items.stream().map(GroupCommitBatcherTest::recorded).toList();
                },
                64,
                TimeUnit.SECONDS.toNanos(10), // a wait this long would show
                1,
                size -> {},
                10_000);

        // When
        long started = System.nanoTime();
        batcher.submit(item("alone"));

        // Then: no company, so no waiting for any
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(1), batches);
        batcher.stop();
    }

    @Test
    void oneBadDeliveryFailsOnlyItself() throws Exception {
        // Given: a writer that refuses any transaction containing "bad", after a pause that lets a batch form
        CountDownLatch gate = new CountDownLatch(1);
        GroupCommit.Batcher batcher = new GroupCommit.Batcher(
                items -> {
                    await(gate);
                    if (items.stream().anyMatch(i -> key(i).equals("bad"))) {
                        throw new IllegalStateException("value too long for column");
                    }
                    return items.stream().map(GroupCommitBatcherTest::recorded).toList();
                },
                64,
                5_000_000,
                1,
                size -> {},
                10_000);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Recorded>> answers = new ArrayList<>();
        for (String key : List.of("first", "a", "bad", "b", "c")) {
            answers.add(callers.submit(() -> batcher.submit(item(key))));
        }

        // When
        Thread.sleep(200);
        gate.countDown();

        // Then
        for (int i = 0; i < answers.size(); i++) {
            if (i == 2) {
                Future<Recorded> bad = answers.get(i);
                assertThrows(java.util.concurrent.ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            } else {
                assertEquals(
                        1,
                        answers.get(i).get(10, TimeUnit.SECONDS).newEventKeys().size());
            }
        }
        callers.close();
        batcher.stop();
    }

    @Test
    void anUnreachableDatabaseFailsTheBatchAtOnce() {
        assertTrue(
                GroupCommit.Batcher.unreachable(new RuntimeException(new SQLException("Connection refused", "08001"))));
        assertTrue(GroupCommit.Batcher.unreachable(
                new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection"))));
        assertTrue(!GroupCommit.Batcher.unreachable(new RuntimeException(new SQLException("too long", "22001"))));
    }

    @Test
    void refusesAtOnceWhenTooManyWaitForTheDatabase() throws Exception {
        // Given: a writer stuck in its transaction (a database that is behind), and room for 2 waiting
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        GroupCommit.Batcher batcher = new GroupCommit.Batcher(
                items -> {
                    writing.countDown();
                    try {
                        stuck.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return items.stream().map(GroupCommitBatcherTest::recorded).toList();
                },
                64,
                0,
                1,
                size -> {},
                2);
        var first = batcher.submitAsync(item("in-the-writer"));
        assertTrue(writing.await(5, TimeUnit.SECONDS));
        var second = batcher.submitAsync(item("waits-1"));
        var third = batcher.submitAsync(item("waits-2"));

        // When
        var fourth = batcher.submitAsync(item("one-too-many"));

        // Then: refused at once, and the others are answered once the database catches up
        assertTrue(fourth.isCompletedExceptionally());
        var refusal = assertThrows(java.util.concurrent.ExecutionException.class, fourth::get);
        assertTrue(refusal.getCause() instanceof GroupCommit.NotRecorded, refusal.toString());
        stuck.countDown();
        assertEquals(
                "in-the-writer",
                first.get(5, TimeUnit.SECONDS).newEventKeys().getFirst().value());
        assertEquals(
                "waits-1",
                second.get(5, TimeUnit.SECONDS).newEventKeys().getFirst().value());
        assertEquals(
                "waits-2",
                third.get(5, TimeUnit.SECONDS).newEventKeys().getFirst().value());
        batcher.stop();
    }

    private static List<Recorded> submitAll(GroupCommit.Batcher batcher, List<DeliveryRecorder.Item> items)
            throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Recorded>> futures = new ArrayList<>();
            for (DeliveryRecorder.Item item : items) {
                futures.add(callers.submit(() -> batcher.submit(item)));
            }
            List<Recorded> results = new ArrayList<>();
            for (Future<Recorded> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /** A delivery whose one "event key" names it, so each result can be traced to its caller. */
    private static DeliveryRecorder.Item item(String key) {
        return new DeliveryRecorder.Item(null, new Normalization(ParseStatus.PARSED, Family.UNKNOWN, List.of(), key));
    }

    private static String key(DeliveryRecorder.Item item) {
        return item.normalization().problem();
    }

    private static Recorded recorded(DeliveryRecorder.Item item) {
        return new Recorded(IDS.incrementAndGet(), 1, List.of(new io.xwr.event.EventKey(key(item))));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
