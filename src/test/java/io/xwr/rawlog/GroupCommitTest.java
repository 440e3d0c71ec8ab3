package io.xwr.rawlog;

import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against PostgreSQL over HTTP: concurrent deliveries share transactions, and every 200 is a stored delivery. */
@QuarkusTest
class GroupCommitTest {
    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentDeliveriesAreCommittedTogetherAndAllStored() throws Exception {
        // Given
        DistributionSummary batches = registry.get("xwr.store.batch.size").summary();
        long transactionsBefore = batches.count();
        double deliveriesBefore = batches.totalAmount();
        String run = randomId().substring(0, 12);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bodies.add(
                    tweet(run + String.format("%03d", i), randomId())); // one account per delivery: rows must pair up
        }

        // When: 300 deliveries from 50 concurrent connections
        assertEquals(java.util.Collections.nCopies(300, 200), io.xwr.testing.Deliveries.postConcurrently(bodies, 50));

        // Then: fewer transactions than deliveries, and each acknowledged delivery is there
        long transactions = batches.count() - transactionsBefore;
        double deliveries = batches.totalAmount() - deliveriesBefore;
        assertTrue(deliveries >= 300, "deliveries " + deliveries);
        assertTrue(transactions < deliveries, transactions + " transactions for " + deliveries + " deliveries");
        // and each event row points at the raw delivery that carried it (ids come from one batched insert)
        assertEquals(300, new Db(dataSource).awaitProjected().count("""
                                SELECT count(*) FROM activity_event e JOIN delivery_account a
                                ON a.delivery_id = e.delivery_id AND a.account_id = e.account_id
                                WHERE e.account_id LIKE ?
                                """, run + "%"));
    }

    @Test
    void theSameDeliveryTwiceInOneBatchOrLaterStoresItsEventOnce() throws Exception {
        // Given: 100 new posts, each delivered twice at once (X retrying before our answer arrived), so most
        // pairs share a batch; then 20 of them a third time
        String run = randomId().substring(0, 12);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] body = tweet(run + String.format("%03d", i), randomId());
            bodies.add(body);
            bodies.add(body);
        }
        double newEventsBefore = newEvents();

        // When
        assertEquals(java.util.Collections.nCopies(200, 200), io.xwr.testing.Deliveries.postConcurrently(bodies, 50));
        assertEquals(
                java.util.Collections.nCopies(20, 200),
                io.xwr.testing.Deliveries.postConcurrently(
                        bodies.subList(0, 40).stream().distinct().toList(), 10));

        // Then: every delivery is kept, each event once, pointing at a delivery that carried it, and counted new once
        Db db = new Db(dataSource).awaitProjected();
        assertEquals(220, db.count("SELECT count(*) FROM delivery_account WHERE account_id LIKE ?", run + "%"));
        assertEquals(100, db.count("SELECT count(*) FROM activity_event WHERE account_id LIKE ?", run + "%"));
        assertEquals(100, db.count("""
                                SELECT count(*) FROM activity_event e JOIN delivery_account a
                                ON a.delivery_id = e.delivery_id AND a.account_id = e.account_id
                                WHERE e.account_id LIKE ?
                                """, run + "%"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(
                        100, newEvents() - newEventsBefore, "events counted as new (one outbox row each)"));
    }

    private double newEvents() {
        return registry.find("xwr.events").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }
}
