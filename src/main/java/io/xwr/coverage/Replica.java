package io.xwr.coverage;

import io.xwr.config.CoverageConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.UUID;

/** This process's identity among the replicas sharing the database. */
@Singleton
public class Replica {
    private final String id;

    @Inject
    Replica(CoverageConfig config) {
        this(config.replicaId()
                .orElse(System.getenv().getOrDefault("HOSTNAME", "replica") + "-"
                        + UUID.randomUUID().toString().substring(0, 8)));
    }

    private Replica(String id) {
        this.id = id;
    }

    /** Another replica's identity (for running a second replica's jobs side by side in one JVM). */
    public static Replica named(String id) {
        return new Replica(id);
    }

    public String id() {
        return id;
    }
}
