package io.xwr.replay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.OperatorView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of recovery: gaps and replay jobs by state, and the age of the newest CRC answer. Counted from the shared database every 15 s, so every
 * replica reports the same figures; aggregate them with {@code max}, not {@code sum}.
 */
@ApplicationScoped
@Startup // its meters exist from the first scrape
public class RecoveryMetrics {
    private final GapLog gaps;
    private final ReplayJobs jobs;
    private final Map<GapState, AtomicLong> gapCounts = new EnumMap<>(GapState.class);
    private final Map<ReplayState, AtomicLong> jobCounts = new EnumMap<>(ReplayState.class);
    private final OperatorView view;
    private final Clock clock;
    /** Epoch second of the newest CRC answered by any replica; absent until X checked once. */
    private final AtomicLong lastCrc = new AtomicLong(Long.MIN_VALUE);

    RecoveryMetrics(GapLog gaps, ReplayJobs jobs, OperatorView view, Clock clock, MeterRegistry registry) {
        this.gaps = gaps;
        this.jobs = jobs;
        this.view = view;
        this.clock = clock;
        // X re-checks about daily; alert past 25 hours (README): X may have stopped looking, or be failing us.
        Gauge.builder(
                        "xwr.crc.since.last",
                        lastCrc,
                        last -> last.get() == Long.MIN_VALUE
                                ? Double.NaN
                                : clock.instant().getEpochSecond() - last.get())
                .description("Seconds since any replica last answered X's CRC (NaN until the first)")
                .baseUnit("seconds")
                .register(registry);
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
            Instant crc = view.lastCrcAnswer();
            if (crc != null) {
                lastCrc.set(crc.getEpochSecond());
            }
        } catch (RuntimeException e) {
            // The database being away is reported by readiness and the heartbeat; the gauges keep their last value.
        }
    }
}
