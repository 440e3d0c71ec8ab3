package io.xwr.replay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.xwr.store.GapLog;
import io.xwr.store.GapState;
import io.xwr.store.ReplayJobs;
import io.xwr.store.ReplayState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of recovery: gaps and replay jobs by state. Counted from the shared database every 15 s, so every
 * replica reports the same figures; aggregate them with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class RecoveryMetrics {
    private final GapLog gaps;
    private final ReplayJobs jobs;
    private final Map<GapState, AtomicLong> gapCounts = new EnumMap<>(GapState.class);
    private final Map<ReplayState, AtomicLong> jobCounts = new EnumMap<>(ReplayState.class);

    RecoveryMetrics(GapLog gaps, ReplayJobs jobs, MeterRegistry registry) {
        this.gaps = gaps;
        this.jobs = jobs;
        for (GapState state : GapState.values()) {
            AtomicLong count = new AtomicLong();
            gapCounts.put(state, count);
            Gauge.builder("xwr.gaps", count, AtomicLong::get)
                    .description("Gaps (windows X may not have delivered) by recovery state")
                    .tag("state", state.name().toLowerCase())
                    .register(registry);
        }
        for (ReplayState state : ReplayState.values()) {
            AtomicLong count = new AtomicLong();
            jobCounts.put(state, count);
            Gauge.builder("xwr.replay.jobs", count, AtomicLong::get)
                    .description("Replay jobs asked of X by state")
                    .tag("state", state.name().toLowerCase())
                    .register(registry);
        }
    }

    @Scheduled(
            identity = "xwr-recovery-metrics",
            every = "15s",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            gaps.countByState().forEach((state, n) -> gapCounts.get(state).set(n));
            jobs.countByState().forEach((state, n) -> jobCounts.get(state).set(n));
        } catch (RuntimeException e) {
            // The database being away is reported by readiness and the heartbeat; the gauges keep their last value.
        }
    }
}
