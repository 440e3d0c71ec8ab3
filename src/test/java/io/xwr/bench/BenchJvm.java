package io.xwr.bench;

import java.util.ArrayList;
import java.util.List;

/** The service's JVM options in a benchmark: its heap share, and what {@code -Dbench.jvm} and {@code -Dbench.jfr} add. */
final class BenchJvm {
    private BenchJvm() {}

    static List<String> options() {
        List<String> jvm = new ArrayList<>(List.of("-XX:MaxRAMPercentage=75"));
        String extra = System.getProperty("bench.jvm", ""); // more JVM options for the service, space-separated
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        String jfr = System.getProperty("bench.jfr"); // a flight recording of the service, for profiling
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfr.settings", "profile")
                    + ",filename=" + jfr);
        }
        return jvm;
    }
}
