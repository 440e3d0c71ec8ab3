package io.xwr.replay;

import io.quarkus.scheduler.Scheduled;
import io.xwr.config.ReplayConfig;
import io.xwr.config.StreamConfig;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.LeaderJob;
import io.xwr.coverage.LeaderJobs;
import io.xwr.coverage.StoredGap;
import io.xwr.rawlog.DeliveryRecorder;
import io.xwr.rawlog.LogBarrier;
import io.xwr.xapi.StreamConnection;
import io.xwr.xapi.StreamFields;
import io.xwr.xapi.XApi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Recovers gaps of a stream-linked webhook through the filtered stream's connection API, for when X's webhook
 * replay does not re-send stream posts (spec 9.3: uncertain; {@code xwr.stream.recovery=connection}). Each gap's
 * window (with the replay margin, within X's 24 hours) is read once it is over; every post line goes into the raw
 * log like a delivery, and the projection drops what is already stored by key, so nothing reaches Kafka twice.
 * A window is read in passes of bounded posts and time, each resuming from the last post's time; one that left X's
 * 24 hours unread is marked lost.
 */
@ApplicationScoped
public class StreamRecovery {
    static final String LEASE = "stream-recovery";
    static final String SOURCE = "stream-recovery";
    /** X's recovery reaches 24 hours back; a minute is kept for the request's way there. */
    static final Duration HORIZON = Duration.ofHours(24).minusMinutes(1);

    private static final Logger LOG = Logger.getLogger(StreamRecovery.class);

    /** What one pass did. */
    public enum Pass {
        OFF,
        NOT_LEADER,
        READ,
        IDLE
    }

    private final XApi x;
    private final GapLog gaps;
    private final StreamRecoveries recoveries;
    private final DeliveryRecorder recorder;
    private final LogBarrier barrier;
    private final LeaderJob leader;
    private final StreamConfig stream;
    private final ReplayConfig replay;
    private final Clock clock;

    StreamRecovery(
            XApi x,
            GapLog gaps,
            StreamRecoveries recoveries,
            DeliveryRecorder recorder,
            LogBarrier barrier,
            LeaderJobs leaders,
            StreamConfig stream,
            ReplayConfig replay,
            Clock clock) {
        this.x = x;
        this.gaps = gaps;
        this.recoveries = recoveries;
        this.recorder = recorder;
        this.barrier = barrier;
        this.leader = leaders.job(
                LEASE, stream.recoveryPassTime().plus(replay.interval()).multipliedBy(2));
        this.stream = stream;
        this.replay = replay;
        this.clock = clock;
    }

    @Scheduled(
            identity = "xwr-stream-recovery",
            every = "${xwr.replay.interval:30s}",
            delayed = "${xwr.replay.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run(clock.instant(), stream.recoveryMaxPosts(), stream.recoveryPassTime());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Stream recovery pass failed, retried next pass: %s",
                    e.getClass().getSimpleName());
        }
    }

    /** One pass as of {@code now}: opens windows for new gaps, then reads those that are over, oldest first. */
    public Pass run(Instant now, int maxPosts, Duration budget) {
        if (stream.recovery() != StreamConfig.Recovery.CONNECTION || !x.configured()) {
            return Pass.OFF;
        }
        if (!leader.leads(now)) {
            return Pass.NOT_LEADER;
        }
        Instant horizon = now.minus(HORIZON);
        for (StoredGap gap : gaps.recent(500)) {
            if (gap.state() != GapState.LOST && gap.window().to().isAfter(horizon)) {
                recoveries.open(
                        gap.id(),
                        gap.window().from().minus(replay.margin()),
                        gap.window().to().plus(replay.margin()),
                        now);
            }
        }
        Map<String, String> fields = StreamFields.query(stream.fields());
        boolean read = false;
        for (StoredStreamRecovery r : recoveries.reading()) {
            if (!r.windowTo().isAfter(horizon)) {
                recoveries.progress(r.id(), r.readUpTo(), "LOST", 0, "left X's 24 hours before it was read", now);
                LOG.warnf("Stream recovery of gap %d: the window left X's 24 hours unread", r.gapId());
                continue;
            }
            if (r.windowTo().isAfter(now.minusSeconds(60))) {
                continue; // not over yet: its posts may still arrive by webhook
            }
            Instant start = r.readUpTo().isBefore(horizon) ? horizon : r.readUpTo();
            StreamConnection.Read result = x.readStream(
                    start,
                    r.windowTo(),
                    fields,
                    maxPosts,
                    budget,
                    batch -> barrier.append(() -> recorder.appendFetched(batch, SOURCE, clock.instant())));
            // Resumed from the last post's time (X's start_time is inclusive: that post comes again and is dropped
            // by key); a pass that got no further moves on a second, so a full second of posts cannot hold it.
            Instant next = result.complete()
                    ? r.windowTo()
                    : result.lastPostAt() != null && result.lastPostAt().isAfter(start)
                            ? result.lastPostAt()
                            : start.plusSeconds(1);
            String note = (start.isAfter(r.readUpTo()) ? "started at X's 24-hour horizon; " : "")
                    + (result.complete() ? "read to the end" : "read up to " + next + ", resumed next pass");
            recoveries.progress(r.id(), next, result.complete() ? "DONE" : "READING", result.posts(), note, now);
            LOG.infof("Stream recovery of gap %d: %d posts from %s (%s)", r.gapId(), result.posts(), start, note);
            read = true;
            if (!result.complete()) {
                break; // the pass's budget is spent
            }
        }
        return read ? Pass.READ : Pass.IDLE;
    }

    /** For the admin API and the page. */
    public List<StoredStreamRecovery> recent(int limit) {
        return recoveries.recent(limit);
    }
}
