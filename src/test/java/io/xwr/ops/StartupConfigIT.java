package io.xwr.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started as production starts it (prod profile, configuration from the
 * environment only), refuses to run without a usable consumer secret and names the setting. No database is
 * reachable: the refusal must come before anything else is tried.
 */
class StartupConfigIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final String LONG_TOKEN = "an-admin-token-of-forty-characters-long!";

    @Test
    void refusesToStartWithoutAConsumerSecret() throws Exception {
        // When
        Run run = start(Map.of());

        // Then
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("xwr.ingress.consumer-secrets"), run.output());
        assertTrue(run.output().contains("is required"), run.output());
    }

    @Test
    void refusesAConsumerSecretWithWhitespace() throws Exception {
        // When: a secret pasted with a space inside (the rotation list is comma-separated, never spaced)
        Run run = start(Map.of("XWR_INGRESS_CONSUMER_SECRETS", "abc def"));

        // Then
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("xwr.ingress.consumer-secrets"), run.output());
        assertTrue(run.output().contains("must not contain whitespace"), run.output());
        assertFalse(run.output().contains("abc def"), "the secret itself is never printed: " + run.output());
    }

    @Test
    void refusesToServeAGeneratedCertificateUnlessAllowed() throws Exception {
        // When: configured, but with no certificate (and no database, which must not matter)
        Run run = start(Map.of("XWR_INGRESS_CONSUMER_SECRETS", "abc", "XWR_ADMIN_TOKEN", LONG_TOKEN));

        // Then
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("No TLS certificate configured"), run.output());
        assertTrue(run.output().contains("xwr.tls.allow-self-signed=true"), run.output());
    }

    @Test
    void refusesAnAdminTokenShorterThan32Characters() throws Exception {
        // When
        Run run = start(Map.of(
                "XWR_INGRESS_CONSUMER_SECRETS", "abc",
                "XWR_TLS_ALLOW_SELF_SIGNED", "true",
                "XWR_ADMIN_TOKEN", "short-token-never-printed"));

        // Then
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("xwr.admin.token"), run.output());
        assertTrue(run.output().contains("must be at least 32 characters"), run.output());
        assertFalse(run.output().contains("short-token-never-printed"), run.output());
    }

    @Test
    void logsJsonLinesInProductionWithoutTheSecret() throws Exception {
        // When: configured, but the database is unreachable, so start-up fails after logging is set up
        Run run = start(
                Map.of("XWR_INGRESS_CONSUMER_SECRETS", "s3cr3tValueNeverLogged", "XWR_TLS_ALLOW_SELF_SIGNED", "true"));

        // Then: log records are JSON objects with a level and a message, and the secret appears nowhere
        assertNotEquals(0, run.exitCode(), run.output());
        List<JsonNode> records = new ArrayList<>();
        for (String line : run.output().lines().toList()) {
            if (line.startsWith("{")) {
                records.add(JSON.readTree(line));
            }
        }
        assertFalse(records.isEmpty(), run.output());
        assertTrue(records.stream().allMatch(r -> r.has("level") && r.has("message")), run.output());
        assertFalse(run.output().contains("s3cr3tValueNeverLogged"), run.output());
    }

    record Run(int exitCode, String output) {}

    private static Run start(Map<String, String> env) throws IOException, InterruptedException {
        assertTrue(Files.exists(JAR), "package the application first: " + JAR);
        Path log = Files.createTempFile("xwr-startup", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // nothing listens there: a start that got as far as the database would hang, not refuse
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:9/none",
                "-Dquarkus.http.ssl-port=0",
                "-Dquarkus.management.port=0",
                "-jar",
                JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("XWR_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after 90 s: " + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
