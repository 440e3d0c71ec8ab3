package io.xwr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of processes, from /proc: what one delivery costs each of the service, PostgreSQL and
 * the load generator, which share the same 2 cores.
 */
final class CpuTime {
    /** Linux's USER_HZ, which /proc/[pid]/stat counts in: 100 on every common build. */
    private static final double TICKS_PER_SECOND = 100;

    private CpuTime() {}

    /** CPU seconds used so far by these processes (one that has exited counts zero). */
    static double seconds(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(pid);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** CPU seconds used so far by each of these processes. */
    static java.util.Map<Long, Double> perProcess(List<Long> pids) {
        java.util.Map<Long, Double> seconds = new java.util.HashMap<>();
        for (long pid : pids) {
            seconds.put(pid, ticks(pid) / TICKS_PER_SECOND);
        }
        return seconds;
    }

    /**
     * CPU seconds these processes used since {@code before} was taken; a process started since (a backend the
     * connection pool opened) counts from its start, one that exited since is lost.
     */
    static double since(java.util.Map<Long, Double> before, List<Long> now) {
        double used = 0;
        for (java.util.Map.Entry<Long, Double> p : perProcess(now).entrySet()) {
            used += p.getValue() - before.getOrDefault(p.getKey(), 0.0);
        }
        return used;
    }

    /** The embedded PostgreSQL listening on {@code port}: its postmaster and every backend and worker under it. */
    static List<Long> postgres(int port) {
        List<Long> all = new ArrayList<>();
        Long postmaster = null;
        for (long pid : pids()) {
            String cmdline = cmdline(pid);
            if (cmdline.contains("postgres") && cmdline.contains("-p\0" + port + "\0")) {
                postmaster = pid;
            }
        }
        if (postmaster == null) {
            throw new IllegalStateException("no postgres process listens on " + port);
        }
        all.add(postmaster);
        for (long pid : pids()) {
            if (parent(pid) == postmaster) {
                all.add(pid);
            }
        }
        return all;
    }

    /** Every PostgreSQL process of the machine (a server the benchmark did not start): postmasters and backends. */
    static List<Long> anyPostgres() {
        return pids().stream()
                .filter(pid -> {
                    String cmdline = cmdline(pid);
                    return cmdline.startsWith("postgres:") || cmdline.contains("/bin/postgres\0");
                })
                .toList();
    }

    private static List<Long> pids() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::valueOf)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }

    /** Fields after the command name, which may itself hold spaces: state, ppid, ... utime (14th), stime (15th). */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static long parent(long pid) {
        String[] fields = stat(pid);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    private static long ticks(long pid) {
        String[] fields = stat(pid);
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
