package io.xwr.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The packaged service (target/quarkus-app) as its own process, started the way production starts it: prod
 * profile, configuration from the environment, HTTPS with the generated certificate. For tests that must kill
 * it or measure it from outside.
 */
public final class ServiceProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final Path log;
    private final int httpsPort;
    private final int managementPort;
    private final long startedNanos;
    private long readyNanos;

    private ServiceProcess(Process process, Path log, int httpsPort, int managementPort, long startedNanos) {
        this.process = process;
        this.log = log;
        this.httpsPort = httpsPort;
        this.managementPort = managementPort;
        this.startedNanos = startedNanos;
    }

    /** Starts the jar against the given database with the test consumer secrets; waits until it is ready. */
    public static ServiceProcess start(String jdbcUrl, String user, String password, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        return start(List.of(), jdbcUrl, user, password, extraEnv);
    }

    /** Starts the jar against the database {@link PostgresResource#start()} described. */
    public static ServiceProcess start(
            List<String> jvmOptions, Map<String, String> datasource, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        return start(
                jvmOptions,
                datasource.get("quarkus.datasource.jdbc.url"),
                datasource.get("quarkus.datasource.username"),
                datasource.get("quarkus.datasource.password"),
                extraEnv);
    }

    public static ServiceProcess start(
            List<String> jvmOptions, String jdbcUrl, String user, String password, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("package the application first: " + JAR);
        }
        // A port found free can be taken (by any socket's ephemeral port) before the service binds it: such a start
        // is tried again on other ports; any other failure is the test's.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnFreePorts(jvmOptions, jdbcUrl, user, password, extraEnv);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new IllegalStateException(e.getMessage());
                }
            }
        }
    }

    /** The service could not bind a port chosen for it. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static ServiceProcess startOnFreePorts(
            List<String> jvmOptions, String jdbcUrl, String user, String password, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        int https = PostgresResource.freePort();
        int management = PostgresResource.freePort();
        Path log = Files.createTempFile("xwr-service", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("XWR_") || k.startsWith("QUARKUS_") || k.startsWith("KAFKA_"));
        env.put("XWR_INGRESS_CONSUMER_SECRETS", XSigner.SECRET);
        env.put("XWR_ADMIN_TOKEN", "test-admin-token-0123456789abcdef");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", password);
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(https));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        // the tests have no CA-signed certificate: the generated one, allowed on purpose
        env.put("XWR_TLS_ALLOW_SELF_SIGNED", "true");
        env.putAll(extraEnv);
        long started = System.nanoTime();
        ServiceProcess service = new ServiceProcess(builder.start(), log, https, management, started);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = output();
                String message = "the service exited with " + process.exitValue() + ":\n" + output;
                throw output.contains("java.net.BindException: Address already in use")
                        ? new PortTaken(message)
                        : new IllegalStateException(message);
            }
            try {
                // Ready, and the HTTPS port bound: readiness (which no longer waits for the database) can answer
                // on the management port a moment before the webhook's port listens.
                if (status(http, "/q/health/ready") == 200 && listening(httpsPort)) {
                    readyNanos = System.nanoTime();
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not ready after " + timeout + ":\n" + output());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private int status(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    public URI webhook() {
        return URI.create("https://127.0.0.1:" + httpsPort + "/webhooks/x");
    }

    public int httpsPort() {
        return httpsPort;
    }

    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public long pid() {
        return process.pid();
    }

    /** From process start to the first ready answer: what a restarting pod costs. */
    public Duration startTime() {
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    /** Resident memory of the process now, from /proc, in bytes. */
    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** kill -9: no shutdown hook, no drain, as when a node dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        Files.deleteIfExists(log);
    }

    /** An HTTP/1.1 client that accepts the service's self-signed certificate (the pod's own, behind an Ingress). */
    public static HttpClient trustingClient() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingContext())
                .sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** TLS that accepts any server certificate: the service's and the bare endpoint's are self-signed. */
    public static SSLContext trustingContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        // Extended, so the JDK adds no host-name check of its own: the pod's certificate names
                        // localhost and 127.0.0.1, the benchmark's bare endpoint only localhost.
                        new X509ExtendedTrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                            @Override
                            public void checkClientTrusted(
                                    X509Certificate[] chain, String authType, SSLEngine engine) {}

                            @Override
                            public void checkServerTrusted(
                                    X509Certificate[] chain, String authType, SSLEngine engine) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
