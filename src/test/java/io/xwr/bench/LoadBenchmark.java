package io.xwr.bench;

import io.xwr.testing.Fixtures;
import io.xwr.testing.PostgresResource;
import io.xwr.testing.ServiceProcess;
import io.xwr.testing.XSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Durable ingest against its ceiling, on this machine: the packaged service on PostgreSQL (fsync on) and, in
 * the same run, a bare HTTPS endpoint that only verifies the HMAC. Both get the same distinct, signed,
 * realistically mixed deliveries (every payload fixture, ids made unique) at a fixed rate and at the maximum
 * rate; latencies are measured from each request's intended send time (no coordinated omission). Run with
 * {@code bench/load.sh}; the table goes to target/bench/load.md.
 */
@Tag("benchmark")
class LoadBenchmark {
    private static final List<Integer> RATES = Stream.of(
                    System.getProperty("bench.rates", "250,500,1000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int CRC_SECONDS = Integer.getInteger("bench.crc-seconds", 10);
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 15);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 64);
    /** CRCs before the CRC rate is measured: deliveries do not warm the CRC's code any more (DeliveryRoute). */
    private static final int CRC_WARM_UP = Integer.getInteger("bench.crc-warmup", 10);
    /**
     * {@code -Dbench.projection=false}: the service only acknowledges, as every replica but the one holding the
     * projection's lease does; the log is then left unprojected.
     */
    private static final boolean PROJECTION = Boolean.parseBoolean(System.getProperty("bench.projection", "true"));

    private static final Pattern ID = Pattern.compile("[0-9]{10,19}");

    private final Random random = new Random(7);
    private List<String> fixtures;

    @Test
    void measuresDurableIngestAgainstTheBareCeiling() throws Exception {
        fixtures = fixtures();
        PostgresResource postgres = new PostgresResource();
        // -Dbench.db-url: a server of the machine's own (an empty database), reached directly, not through the
        // tests' TCP proxy; its CPU is every postgres process's. Otherwise the embedded server.
        String direct = System.getProperty("bench.db-url");
        Map<String, String> db = direct == null
                ? postgres.start()
                : Map.of(
                        "quarkus.datasource.jdbc.url", direct,
                        "quarkus.datasource.username", System.getProperty("bench.db-user", "postgres"),
                        "quarkus.datasource.password", System.getProperty("bench.db-password", ""));
        StringBuilder report = new StringBuilder();
        try {
            Result service;
            long rss;
            Duration start;
            List<String> jvm = BenchJvm.options();
            try (ServiceProcess process =
                    ServiceProcess.start(jvm, db, PROJECTION ? Map.of() : Map.of("XWR_PROJECTION_ENABLED", "false"))) {
                start = process.startTime();
                URI webhook = process.webhook();
                int dbPort = URI.create(db.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()))
                        .getPort();
                if (Boolean.getBoolean("bench.pg-statements")) {
                    PgStatements.reset(db);
                }
                service = run(
                        webhook,
                        List.of(process.pid()),
                        direct == null ? () -> CpuTime.postgres(dbPort) : CpuTime::anyPostgres,
                        db);
                if (Boolean.getBoolean("bench.pg-statements")) {
                    PgStatements.write(db, Path.of("target/bench/pg-statements.md"));
                }
                rss = process.rssBytes();
            }
            Result bare;
            try (Bare endpoint = Bare.start()) {
                bare = run(endpoint.webhook(), List.of(endpoint.process().pid()), List::of, null);
            }
            report.append("| measure | service (PostgreSQL, durable"
                    + (PROJECTION ? "" : "; this replica does not project") + ") | bare HMAC endpoint (ceiling) |\n");
            report.append("| --- | --- | --- |\n");
            report.append(String.format(
                    "| max rate, %d connections, %d s | %,.0f deliveries/s | %,.0f deliveries/s (service: %.0f %%) |%n",
                    CONNECTIONS, SECONDS, service.maxRate(), bare.maxRate(), 100 * service.maxRate() / bare.maxRate()));
            report.append(String.format(
                    "| CRC max rate, same connections, %d s after %d s of CRCs: the ack path's share of it (issue 15:"
                            + " ≥ 50 %%) | %,.0f/s (ack: %.0f %%) | %,.0f/s (ack: %.0f %%) |%n",
                    CRC_SECONDS,
                    CRC_WARM_UP,
                    service.crcRate(),
                    100 * service.maxRate() / service.crcRate(),
                    bare.crcRate(),
                    100 * bare.maxRate() / bare.crcRate()));
            report.append(String.format(
                    "| CPU per delivery at the max rate: server + database + load generator | %.0f + %.0f + %.0f µs"
                            + " | %.0f + 0 + %.0f µs |%n",
                    service.cpu().server(),
                    service.cpu().database(),
                    service.cpu().generator(),
                    bare.cpu().server(),
                    bare.cpu().generator()));
            Behind behind = service.behind();
            report.append(String.format(
                    "| WAL per delivery at the max rate, ack path and what the projection kept up with (mean body"
                            + " %,.0f bytes) | %,.0f bytes (%.2f × the body) | |%n"
                            + "| projection after the max rate: deliveries behind, time to catch up, WAL and CPU per"
                            + " delivery through the projection (server + database) | %,d, %.1f s, %,.0f bytes (%.2f ×),"
                            + " %.0f + %.0f µs | |%n",
                    behind.meanBody(),
                    behind.walAtMaxRate(),
                    behind.walAtMaxRate() / behind.meanBody(),
                    behind.deliveries(),
                    behind.catchUpSeconds(),
                    behind.walThrough(),
                    behind.walThrough() / behind.meanBody(),
                    behind.serverThrough(),
                    behind.databaseThrough()));
            for (int i = 0; i < RATES.size(); i++) {
                Fixed s = service.fixed().get(i);
                Fixed b = bare.fixed().get(i);
                report.append(String.format(
                        "| ack latency at %,d/s for %d s: p50 / p99 / p99.9 (not 200) | %.1f / %.1f / %.1f ms (%d)"
                                + " | %.1f / %.1f / %.1f ms (%d) |%n",
                        s.rate(),
                        SECONDS,
                        s.p50(),
                        s.p99(),
                        s.p999(),
                        s.errors(),
                        b.p50(),
                        b.p99(),
                        b.p999(),
                        b.errors()));
            }
            report.append(String.format(
                    "| CRC latency, one connection, 2,000 sequential after 2,000 more: p50 / p99 (p99 of the first"
                            + " 2,000) | %.2f / %.2f ms (%.2f ms) | %.2f / %.2f ms (%.2f ms) |%n"
                            + "| JVM start to ready (Flyway, TLS, pool) | %.1f s | |%n"
                            + "| RSS after the run | %,d MiB | |%n",
                    service.crc().p50(),
                    service.crc().p99(),
                    service.crc().coldP99(),
                    bare.crc().p50(),
                    bare.crc().p99(),
                    bare.crc().coldP99(),
                    start.toMillis() / 1000.0,
                    rss / (1024 * 1024)));
        } finally {
            postgres.stop();
        }
        Path out = Path.of("target/bench/load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);
    }

    private static final int GROWTH = Integer.getInteger("bench.growth", 5_000_000);

    /**
     * Growth and retention on the partitioned raw log: the maximum ack rate on an empty database, then with
     * GROWTH deliveries stored in a day 40 days back (seeded by SQL, 256-byte bodies: what grows is the tables and
     * their indexes), then the ack latency at 1,000/s for 60 s while the retention job drops that day's
     * partitions (due about 10 s into the phase). Writes target/bench/growth.md.
     */
    @Test
    void measuresGrowthAndRetention() throws Exception {
        fixtures = fixtures();
        PostgresResource postgres = new PostgresResource();
        Map<String, String> db = postgres.start();
        String report;
        try {
            double empty;
            try (ServiceProcess process = ServiceProcess.start(List.of("-XX:MaxRAMPercentage=75"), db, Map.of())) {
                empty = warmThenMax(process.webhook());
            }
            java.time.LocalDate day =
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(40);
            long seedStart = System.nanoTime();
            seed(db, day, GROWTH);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            String partition = "raw_delivery_p" + day.toString().replace("-", "");
            Map<String, String> retention = Map.of(
                    "XWR_COMPLIANCE_RETENTION", "35d",
                    "XWR_COMPLIANCE_RETENTION_INTERVAL", "1h",
                    "XWR_COMPLIANCE_RETENTION_DELAY", (WARM_UP + SECONDS + 20) + "s");
            double full;
            Histogram during;
            double droppedAfter = -1;
            double aroundP99;
            long errorsDuring;
            try (ServiceProcess process = ServiceProcess.start(List.of("-XX:MaxRAMPercentage=75"), db, retention)) {
                long started = System.nanoTime();
                List<Http1Connection> connections = new ArrayList<>();
                try {
                    for (int c = 0; c < CONNECTIONS; c++) {
                        connections.add(new Http1Connection(process.webhook()));
                    }
                    warmUp(connections);
                    full = maxRate(connections);
                    awaitProjected(db);
                    System.out.printf(
                            "bench: %.0f/s stored %,d; fixed phase from %.0f s after start%n",
                            full, GROWTH, (System.nanoTime() - started) / 1e9);
                    AtomicLong dropped = new AtomicLong(-1);
                    AtomicBoolean watching = new AtomicBoolean(true);
                    Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                        while (watching.get() && dropped.get() < 0) {
                            try {
                                if (Pg.count(db, "SELECT count(*) FROM pg_class WHERE relname = '" + partition + "'")
                                        == 0) {
                                    dropped.set(System.nanoTime());
                                }
                                Thread.sleep(20);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
                    List<long[]> timings = java.util.Collections.synchronizedList(new ArrayList<>());
                    AtomicLong errors = new AtomicLong();
                    long phase = System.nanoTime();
                    during = fixedRate(
                            connections, 1_000, 60, errors, (due, latency) -> timings.add(new long[] {due, latency}));
                    watching.set(false);
                    watcher.join(1_000);
                    errorsDuring = errors.get();
                    Histogram around = new Histogram(3);
                    if (dropped.get() > 0) {
                        droppedAfter = (dropped.get() - phase) / 1e9;
                        for (long[] t : timings) {
                            if (Math.abs(t[0] - dropped.get()) < TimeUnit.SECONDS.toNanos(2)) {
                                around.recordValue(t[1]);
                            }
                        }
                    }
                    aroundP99 = around.getTotalCount() == 0 ? -1 : ms(around.getValueAtPercentile(99));
                    process.output()
                            .lines()
                            .filter(l -> l.contains("Retention") || l.contains("Partitions") || l.contains("retention"))
                            .forEach(l -> System.out.println("bench: service: " + l));
                } finally {
                    connections.forEach(Http1Connection::close);
                }
            }
            report = String.format(
                    "| measure (realistic mix, %d connections) | value |%n"
                            + "| --- | --- |%n"
                            + "| max ack rate, empty database | %,.0f deliveries/s |%n"
                            + "| max ack rate, %,d deliveries stored (seeded in %.0f s) | %,.0f deliveries/s (%+.0f %%) |%n"
                            + "| ack p50 / p99 / p99.9 at 1,000/s for 60 s while retention drops the stored day"
                            + " (not 200) | %.1f / %.1f / %.1f ms (%d) |%n"
                            + "| the day's partitions dropped after / ack p99 within 2 s of the drop | %s / %s |%n",
                    CONNECTIONS,
                    empty,
                    GROWTH,
                    seedSeconds,
                    full,
                    100 * (full - empty) / empty,
                    ms(during.getValueAtPercentile(50)),
                    ms(during.getValueAtPercentile(99)),
                    ms(during.getValueAtPercentile(99.9)),
                    errorsDuring,
                    droppedAfter < 0 ? "not during the phase" : String.format("%.1f s", droppedAfter),
                    aroundP99 < 0 ? "-" : String.format("%.1f ms", aroundP99));
        } finally {
            postgres.stop();
        }
        Path out = Path.of("target/bench/growth.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("\n" + report);
    }

    /** Warm-up then the closed-loop maximum rate over fresh connections. */
    private double warmThenMax(URI webhook) throws Exception {
        List<Http1Connection> connections = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                connections.add(new Http1Connection(webhook));
            }
            warmUp(connections);
            return maxRate(connections);
        } finally {
            connections.forEach(Http1Connection::close);
        }
    }

    /**
     * Seeds {@code count} deliveries received on {@code day}, in that day's own partitions, as the service would
     * have kept them, and marks them read by the projection (the service is stopped meanwhile).
     */
    private static void seed(Map<String, String> db, java.time.LocalDate day, int count) throws java.sql.SQLException {
        String from = day + " 00:00:00+00";
        String to = day.plusDays(1) + " 00:00:00+00";
        String suffix = day.toString().replace("-", "");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                        db.get("quarkus.datasource.jdbc.url"),
                        db.get("quarkus.datasource.username"),
                        db.get("quarkus.datasource.password"));
                java.sql.Statement s = c.createStatement()) {
            for (String table : List.of("raw_delivery", "delivery_post", "delivery_account")) {
                s.execute("CREATE TABLE " + table + "_p" + suffix + " PARTITION OF " + table + " FOR VALUES FROM ('"
                        + from + "') TO ('" + to + "')");
            }
            s.executeUpdate("INSERT INTO raw_delivery (received_at, body, body_sha256, headers, secret_fingerprint)"
                    + " SELECT TIMESTAMPTZ '" + from + "' + i * INTERVAL '15 milliseconds', decode(repeat(md5(i::text),"
                    + " 16), 'hex'), md5(i::text), '{}', 'seed' FROM generate_series(1, " + count + ") AS i");
            s.executeUpdate("UPDATE projection_position SET delivery_id = (SELECT max(id) FROM raw_delivery)");
            s.execute("ANALYZE raw_delivery");
        }
    }

    record Fixed(int rate, double p50, double p99, double p999, long errors, long sent) {}

    record Result(double maxRate, double crcRate, List<Fixed> fixed, Crc crc, Cpu cpu, Behind behind) {}

    /**
     * The log behind the ack path at the end of the max-rate run, and what it took to project it: WAL bytes per
     * delivery while acknowledging and through the projection, and CPU per delivery through the projection.
     */
    record Behind(
            long deliveries,
            double catchUpSeconds,
            double meanBody,
            double walAtMaxRate,
            double walThrough,
            double serverThrough,
            double databaseThrough) {}

    /** CPU time per delivery at the maximum rate, in microseconds: the server, its database, the load generator. */
    record Cpu(double server, double database, double generator) {}

    /** CRC latency over one connection: p50 and p99 of 2,000 after a first 2,000, and p99 of that first 2,000. */
    record Crc(double p50, double p99, double coldP99) {
        static Crc measure(URI webhook) throws IOException {
            try (Http1Connection connection = new Http1Connection(webhook)) {
                // The first 2,000 meet a CRC path the delivery warm-up did not compile; the next 2,000 do not.
                double cold = ms(sequential(connection, 0).getValueAtPercentile(99));
                Histogram warm = sequential(connection, 2_000);
                return new Crc(ms(warm.getValueAtPercentile(50)), ms(warm.getValueAtPercentile(99)), cold);
            }
        }

        private static Histogram sequential(Http1Connection connection, int first) throws IOException {
            Histogram histogram = new Histogram(3);
            for (int i = first; i < first + 2_000; i++) {
                long started = System.nanoTime();
                int status = connection.crc("bench" + i);
                histogram.recordValue(System.nanoTime() - started);
                if (status != 200) {
                    throw new AssertionError("CRC answered " + status);
                }
            }
            return histogram;
        }
    }

    /**
     * Warm-up, CRC latency, the fixed rates, then the maximum rate, over CONNECTIONS connections opened first (TLS
     * handshakes are not what is measured); sender k always uses connection k.
     */
    /** {@code database} lists the database's processes when asked: the pool opens backends as it needs them. */
    private Result run(
            URI webhook, List<Long> server, java.util.function.Supplier<List<Long>> database, Map<String, String> db)
            throws Exception {
        List<Http1Connection> connections = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                connections.add(new Http1Connection(webhook));
            }
            warmUp(connections);
            if (db != null) {
                // The warm-up leaves a backlog of tens of thousands of deliveries behind the ack path; measured over
                // it, the fixed rates would time the projection's catch-up, not the steady state they stand for.
                awaitProjected(db);
            }
            Crc crc = Crc.measure(webhook);
            List<Fixed> fixed = new ArrayList<>();
            for (int rate : RATES) {
                AtomicLong errors = new AtomicLong();
                Histogram h = fixedRate(connections, rate, errors);
                fixed.add(new Fixed(
                        rate,
                        ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(99)),
                        ms(h.getValueAtPercentile(99.9)),
                        errors.get(),
                        h.getTotalCount()));
                System.out.println("bench: " + fixed.getLast()); // as it goes: a long run can be cut short
            }
            List<Long> generator = List.of(ProcessHandle.current().pid());
            double serverBefore = CpuTime.seconds(server);
            Map<Long, Double> databaseBefore = CpuTime.perProcess(database.get());
            double generatorBefore = CpuTime.seconds(generator);
            long walBefore = db == null ? 0 : Pg.walLsn(db);
            long deliveriesBefore = db == null ? 0 : Pg.count(db, "SELECT count(*) FROM raw_delivery");
            double maxRate = maxRate(connections);
            double perDelivery = 1e6 / (maxRate * SECONDS);
            Cpu cpu = new Cpu(
                    (CpuTime.seconds(server) - serverBefore) * perDelivery,
                    CpuTime.since(databaseBefore, database.get()) * perDelivery,
                    (CpuTime.seconds(generator) - generatorBefore) * perDelivery);
            Behind behind = null;
            if (db != null) {
                long walAtMaxRate = Pg.walLsn(db);
                long behindNow = Pg.count(db, Pg.BEHIND);
                long caughtUp = System.nanoTime();
                System.out.printf("bench: max rate %.0f/s, %d behind%n", maxRate, behindNow);
                awaitProjected(db);
                double catchUp = (System.nanoTime() - caughtUp) / 1e9;
                long sent = Pg.count(db, "SELECT count(*) FROM raw_delivery") - deliveriesBefore;
                double meanBody = Pg.count(
                                db,
                                "SELECT COALESCE(sum(octet_length(body)), 0) FROM raw_delivery WHERE id > (SELECT"
                                        + " max(id) FROM raw_delivery) - " + sent)
                        / (double) Math.max(1, sent);
                behind = new Behind(
                        behindNow,
                        catchUp,
                        meanBody,
                        (walAtMaxRate - walBefore) / (double) Math.max(1, sent),
                        (Pg.walLsn(db) - walBefore) / (double) Math.max(1, sent),
                        (CpuTime.seconds(server) - serverBefore) * 1e6 / Math.max(1, sent),
                        CpuTime.since(databaseBefore, database.get()) * 1e6 / Math.max(1, sent));
            }
            // After the projection caught up, so nothing else competes with the CRCs.
            double crcRate = crcRate(connections);
            return new Result(maxRate, crcRate, fixed, crc, cpu, behind);
        } finally {
            connections.forEach(Http1Connection::close);
        }
    }

    /** Until the projection has read everything the log holds. */
    private static void awaitProjected(Map<String, String> db) throws Exception {
        while (PROJECTION && Pg.count(db, Pg.BEHIND) > 0) {
            Thread.sleep(50);
        }
    }

    /** What a sender thread does with its connection; {@code index} is the connection's place in the list. */
    private interface Sender {
        void run(Http1Connection connection, int index) throws Exception;
    }

    /**
     * One sender thread per connection; {@code meanwhile} runs on the calling thread while they send, and its result
     * is returned once every sender has finished.
     */
    private static <T> T onEachConnection(
            List<Http1Connection> connections, Sender sender, java.util.concurrent.Callable<T> meanwhile)
            throws Exception {
        try (ExecutorService senders = Executors.newFixedThreadPool(connections.size())) {
            List<Future<?>> loops = new ArrayList<>();
            for (int k = 0; k < connections.size(); k++) {
                int index = k;
                loops.add(senders.submit(() -> {
                    sender.run(connections.get(index), index);
                    return null;
                }));
            }
            T result = meanwhile.call();
            for (Future<?> loop : loops) {
                loop.get(SECONDS + 300L, TimeUnit.SECONDS);
            }
            return result;
        }
    }

    /**
     * RATE deliveries per second over the connections: sender k owns slots k, k + N, k + 2N..., sends each at its
     * due time or, when behind, at once; latency counts from the due time, so a slow answer also charges the
     * requests it delayed (no coordinated omission).
     */
    private Histogram fixedRate(List<Http1Connection> connections, int rate, AtomicLong errors) throws Exception {
        return fixedRate(connections, rate, SECONDS, errors, (due, latency) -> {});
    }

    /** When a request was due and how long it took, both in nanoseconds. */
    private interface Timing {
        void record(long due, long latency);
    }

    private Histogram fixedRate(
            List<Http1Connection> connections, int rate, int seconds, AtomicLong errors, Timing timing)
            throws Exception {
        Recorder latencies = new Recorder(3);
        int n = connections.size();
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        onEachConnection(
                connections,
                (connection, first) -> {
                    for (long slot = first; slot < total; slot += n) {
                        long due = begin + slot * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        byte[] body = delivery();
                        try {
                            if (connection.deliver(body) != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        long latency = System.nanoTime() - due;
                        latencies.recordValue(latency);
                        timing.record(due, latency);
                    }
                },
                () -> null);
        return latencies.getIntervalHistogram();
    }

    /** Closed-loop senders, one per connection, for SECONDS: acknowledged deliveries per second. */
    private double maxRate(List<Http1Connection> connections) throws Exception {
        return closedLoop(connections, SECONDS);
    }

    /**
     * The same closed loop of CRCs ({@code GET ?crc_token=}) on the same connections: the rate issue 15 compares the
     * ack path with, the same process answering what needs no storage. A few seconds suffice: nothing queues behind.
     */
    private static double crcRate(List<Http1Connection> connections) throws Exception {
        AtomicLong token = new AtomicLong();
        closedLoop(connections, CRC_WARM_UP, connection -> connection.crc("bench" + token.incrementAndGet()));
        return closedLoop(connections, CRC_SECONDS, connection -> connection.crc("bench" + token.incrementAndGet()));
    }

    /**
     * WARM_UP seconds of the same closed loop, so the JIT has compiled the paths and the database has met its
     * tables before anything is measured.
     */
    private void warmUp(List<Http1Connection> connections) throws Exception {
        closedLoop(connections, WARM_UP);
    }

    /** Each sender delivers again as soon as it has its answer, for {@code seconds}; 200s per second. */
    private double closedLoop(List<Http1Connection> connections, int seconds) throws Exception {
        return closedLoop(connections, seconds, connection -> connection.deliver(delivery()));
    }

    /** One request on a connection: its status. */
    private interface Request {
        int send(Http1Connection connection) throws IOException;
    }

    /** Each sender sends again as soon as it has its answer, for {@code seconds}; 200s per second. */
    private static double closedLoop(List<Http1Connection> connections, int seconds, Request request) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong acks = new AtomicLong();
        return onEachConnection(
                connections,
                (connection, index) -> {
                    while (running.get()) {
                        if (request.send(connection) == 200) {
                            acks.incrementAndGet();
                        }
                    }
                },
                () -> {
                    long begin = System.nanoTime();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                    long counted = acks.get();
                    double elapsed = (System.nanoTime() - begin) / 1e9;
                    running.set(false);
                    return counted / elapsed;
                });
    }

    /**
     * The payload mix ({@code bench.realistic}, 0.7 by default): that share of deliveries are AAA posts shaped like
     * X's (4 to 6 KB, {@link RealisticPosts}), the rest any family's fixture with fresh ids.
     */
    private static final double REALISTIC = Double.parseDouble(System.getProperty("bench.realistic", "0.7"));

    private byte[] delivery() {
        if (java.util.concurrent.ThreadLocalRandom.current().nextDouble() < REALISTIC) {
            return RealisticPosts.delivery();
        }
        return fixture();
    }

    /** A random fixture of any family with every id replaced, so each delivery is new to the service. */
    private byte[] fixture() {
        String fixture;
        synchronized (random) {
            fixture = fixtures.get(random.nextInt(fixtures.size()));
        }
        Matcher m = ID.matcher(fixture);
        StringBuilder out = new StringBuilder(fixture.length());
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        while (m.find()) {
            StringBuilder id = new StringBuilder().append((char) ('1' + r.nextInt(9)));
            for (int i = 1; i < m.group().length(); i++) {
                id.append((char) ('0' + r.nextInt(10)));
            }
            m.appendReplacement(out, id.toString());
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fixtures() {
        return Fixtures.payloads().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .toList();
    }

    /** Reads of the benchmark's own PostgreSQL. */
    static final class Pg {
        static final String BEHIND = "SELECT count(*) FROM raw_delivery WHERE id > (SELECT delivery_id FROM"
                + " projection_position WHERE name = 'events')";

        static long walLsn(Map<String, String> db) throws java.sql.SQLException {
            return count(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        }

        static long count(Map<String, String> db, String sql) throws java.sql.SQLException {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                            db.get("quarkus.datasource.jdbc.url"),
                            db.get("quarkus.datasource.username"),
                            db.get("quarkus.datasource.password"));
                    java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The bare endpoint as a child process on the test classpath. */
    private record Bare(Process process, int port) implements AutoCloseable {
        static Bare start() throws IOException, InterruptedException {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            BareEndpoint.class.getName(),
                            Integer.toString(port),
                            XSigner.SECRET)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    return new Bare(p, port);
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("bare endpoint did not start");
        }

        URI webhook() {
            return URI.create("https://127.0.0.1:" + port + "/webhooks/x");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
