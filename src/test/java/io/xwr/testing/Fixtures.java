package io.xwr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** X's payloads of every family as captured in src/test/resources/fixtures: the seeds of fuzzing and load. */
public final class Fixtures {
    public static final Path DIRECTORY = Path.of("src/test/resources/fixtures");

    private Fixtures() {}

    /** Every fixture's bytes, in path order. */
    public static List<byte[]> payloads() {
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            List<byte[]> all = new ArrayList<>();
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                all.add(Files.readAllBytes(f));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
