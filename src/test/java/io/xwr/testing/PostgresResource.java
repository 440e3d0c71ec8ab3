package io.xwr.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL for the tests. By default an embedded server from Maven Central binaries (zonky, PG 17),
 * on a fixed port and data directory so it can be stopped and started again like a real outage. When
 * {@code XWR_TEST_DB_URL} (with {@code XWR_TEST_DB_USER}/{@code XWR_TEST_DB_PASSWORD}) names an external
 * server, the tests use that one instead, reached through a {@link TcpProxy} that can cut it off.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private static Database database;

    /** Makes the database unreachable, as a crashed or partitioned server would be. */
    public static void stopDatabase() {
        database.stop();
    }

    /** Brings the database back with its data. */
    public static void startDatabase() {
        database.start();
    }

    @Override
    public Map<String, String> start() {
        String external = System.getenv("XWR_TEST_DB_URL");
        database = external == null || external.isBlank()
                ? new Embedded()
                : new External(external, env("XWR_TEST_DB_USER", "postgres"), env("XWR_TEST_DB_PASSWORD", ""));
        database.start();
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user(),
                "quarkus.datasource.password", database.password());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private sealed interface Database {
        void start();

        void stop();

        void close();

        String jdbcUrl();

        String user();

        String password();
    }

    private static final class Embedded implements Database {
        private final int port = freePort();
        private final Path dataDirectory;
        private EmbeddedPostgres server;

        Embedded() {
            try {
                Files.createDirectories(Path.of("target"));
                dataDirectory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-pg-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void start() {
            if (server != null) {
                return;
            }
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(dataDirectory)
                        // Never let zonky delete the directory on close: a restart after an outage must find
                        // what was committed. initdb runs only while the directory has no postgresql.conf.
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(true)
                        .setPGStartupWait(Duration.ofSeconds(30))
                        .setServerConfig("max_connections", "200")
                        // zonky's defaults (fsync and synchronous_commit off) would let a commit, and so a 200,
                        // come before its WAL is on disk: every test and benchmark here means durable.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on");
                if (Boolean.getBoolean("bench.pg-statements")) {
                    // A benchmark asking where the database's time goes; tests never load it.
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
                }
                for (String setting : System.getProperty("bench.pg", "").split(",")) {
                    // A benchmark trying server settings (name=value,...); tests never set it.
                    int eq = setting.indexOf('=');
                    if (eq > 0) {
                        builder.setServerConfig(
                                setting.substring(0, eq).trim(),
                                setting.substring(eq + 1).trim());
                    }
                }
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
            }
        }

        @Override
        public synchronized void stop() {
            if (server == null) {
                return;
            }
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }

        @Override
        public void close() {
            stop();
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover directory under target/ is harmless
            }
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }

        @Override
        public String user() {
            return "postgres";
        }

        @Override
        public String password() {
            return "";
        }
    }

    private static final class External implements Database {
        private final String url;
        private final String user;
        private final String password;
        private final TcpProxy proxy;

        External(String url, String user, String password) {
            this.user = user;
            this.password = password;
            URI target = URI.create(url.substring("jdbc:".length()));
            this.proxy = new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
            this.url = url.replace(
                    target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort()),
                    "127.0.0.1:" + proxy.port());
        }

        @Override
        public void start() {
            proxy.resume();
        }

        @Override
        public void stop() {
            proxy.cut();
        }

        @Override
        public void close() {
            proxy.close();
        }

        @Override
        public String jdbcUrl() {
            return url;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }
    }
}
