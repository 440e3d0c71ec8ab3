package io.xwr.accounts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connected accounts by state, from the shared database: {@code xwr_accounts{state="needs_reauthorization"}} stays
 * up while a user has to connect again, so an alert on it lasts as long as the problem (the counter of refusals
 * only says when it began).
 */
@ApplicationScoped
@Startup // its meters exist from the first scrape
public class AccountMetrics {
    private final Accounts accounts;
    private final Map<String, AtomicLong> counts = new TreeMap<>();

    AccountMetrics(Accounts accounts, MeterRegistry registry) {
        this.accounts = accounts;
        for (String state : Accounts.STATES) {
            AtomicLong count = new AtomicLong();
            counts.put(state, count);
            Gauge.builder("xwr.accounts", count, AtomicLong::get)
                    .description("Connected X accounts by state (from the shared database: aggregate with max)")
                    .tag("state", state.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    @Scheduled(
            identity = "xwr-account-metrics",
            every = "60s",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            accounts.countByState().forEach((state, n) -> {
                AtomicLong count = counts.get(state);
                if (count != null) {
                    count.set(n);
                }
            });
        } catch (RuntimeException e) {
            // The database being away is reported by readiness; the gauges keep their last value.
        }
    }
}
