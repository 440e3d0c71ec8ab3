package io.xwr.rawlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xwr.store.Unreachable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The group-commit batching rules, with a writer that stands in for the database transaction (it echoes). */
class GroupCommitBatcherTest {
    @Test
    void concurrentDeliveriesShareTransactionsAndEachGetsItsOwnResult() throws Exception {
        // Given: a slow commit (as an fsync is), and 200 deliveries arriving together
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Batcher<String, String> batcher = new GroupCommit.Batcher<>(
                items -> {
                    batches.add(items.size());
                    sleep(5);
                    return List.copyOf(items);
                },
                64,
                2_000_000,
                2,
                size -> {},
                10_000);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add("d" + i);
        }

        // When
        List<String> results = submitAll(batcher, items);

        // Then: far fewer transactions than deliveries, none over the limit, every caller answered with its own
        assertEquals(200, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.size() < 50, "transactions: " + batches.size());
        assertTrue(batches.stream().allMatch(n -> n <= 64), batches.toString());
        for (int i = 0; i < 200; i++) {
            assertEquals("d" + i, results.get(i), "caller " + i + " got someone else's result");
        }
        batcher.stop();
    }

    @Test
    void aLoneDeliveryIsWrittenAtOnce() {
        // Given
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Batcher<String, String> batcher = new GroupCommit.Batcher<>(
                items -> {
                    batches.add(items.size());
                    return List.copyOf(items);
                },
                64,
                TimeUnit.SECONDS.toNanos(10), // a wait this long would show
                1,
                size -> {},
                10_000);

        // When
        long started = System.nanoTime();
        batcher.submit("alone");

        // Then: no company, so no waiting for any
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(1), batches);
        batcher.stop();
    }

    @Test
    void oneBadDeliveryFailsOnlyItself() throws Exception {
        // Given: a writer that refuses any transaction containing "bad", after a pause that lets a batch form
        CountDownLatch gate = new CountDownLatch(1);
        GroupCommit.Batcher<String, String> batcher = new GroupCommit.Batcher<>(
                items -> {
                    await(gate);
                    if (items.contains("bad")) {
                        throw new IllegalStateException("value too long for column");
                    }
                    return List.copyOf(items);
                },
                64,
                5_000_000,
                1,
                size -> {},
                10_000);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        List<String> keys = List.of("first", "a", "bad", "b", "c");
        List<Future<String>> answers = new ArrayList<>();
        for (String key : keys) {
            answers.add(callers.submit(() -> batcher.submit(key)));
        }

        // When
        Thread.sleep(200);
        gate.countDown();

        // Then
        for (int i = 0; i < answers.size(); i++) {
            if (i == 2) {
                Future<String> bad = answers.get(i);
                assertThrows(java.util.concurrent.ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            } else {
                assertEquals(keys.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
            }
        }
        callers.close();
        batcher.stop();
    }

    @Test
    void anUnreachableDatabaseFailsTheBatchAtOnce() {
        assertTrue(Unreachable.is(new RuntimeException(new SQLException("Connection refused", "08001"))));
        assertTrue(Unreachable.is(
                new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection"))));
        assertTrue(!Unreachable.is(new RuntimeException(new SQLException("too long", "22001"))));
    }

    @Test
    void refusesAtOnceWhenTooManyWaitForTheDatabase() throws Exception {
        // Given: a writer stuck in its transaction (a database that is behind), and room for 2 waiting
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        GroupCommit.Batcher<String, String> batcher = new GroupCommit.Batcher<>(
                items -> {
                    writing.countDown();
                    try {
                        stuck.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return List.copyOf(items);
                },
                64,
                0,
                1,
                size -> {},
                2);
        var first = batcher.submitAsync("in-the-writer");
        assertTrue(writing.await(5, TimeUnit.SECONDS));
        var second = batcher.submitAsync("waits-1");
        var third = batcher.submitAsync("waits-2");

        // When
        var fourth = batcher.submitAsync("one-too-many");

        // Then: refused at once, and the others are answered once the database catches up
        assertTrue(fourth.isCompletedExceptionally());
        var refusal = assertThrows(java.util.concurrent.ExecutionException.class, fourth::get);
        assertTrue(refusal.getCause() instanceof GroupCommit.NotRecorded, refusal.toString());
        stuck.countDown();
        assertEquals("in-the-writer", first.get(5, TimeUnit.SECONDS));
        assertEquals("waits-1", second.get(5, TimeUnit.SECONDS));
        assertEquals("waits-2", third.get(5, TimeUnit.SECONDS));
        batcher.stop();
    }

    private static List<String> submitAll(GroupCommit.Batcher<String, String> batcher, List<String> items)
            throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (String item : items) {
                futures.add(callers.submit(() -> batcher.submit(item)));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        }
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
