package io.xwr.coverage;

import io.xwr.config.CoverageConfig;
import jakarta.inject.Singleton;
import java.util.UUID;

/** This process's identity among the replicas sharing the database. */
@Singleton
public class Replica {
    private final String id;

    Replica(CoverageConfig config) {
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        this.id = config.replicaId()
                .orElse(host + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }
}
