package io.xwr.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The table rows the reliability tests leave for docs/reliability.md, one file per test under target/reliability. */
public final class ReliabilityReport {
    private ReliabilityReport() {}

    /** Writes {@code row} (a Markdown table row) to {@code target/reliability/<name>.md}, replacing the last run's. */
    public static void write(String name, String row) throws IOException {
        Path out = Path.of("target/reliability", name + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, row);
    }
}
