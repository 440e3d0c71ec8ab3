package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Publishing domain events to Kafka through the outbox. */
@ConfigMapping(prefix = "xwr.outbox")
public interface OutboxConfig {

    /** Topic for every event, unless {@link #familyTopics()} routes its family elsewhere. */
    @WithDefault("x.activity")
    String topic();

    /**
     * Per-family topic overrides, keyed by lower-case family ({@code aaa}, {@code xaa}, {@code stream}, {@code
     * replay}, {@code unknown}), e.g. {@code xwr.outbox.family-topics.stream=x.stream.posts}. Applies to rows
     * written after the change.
     */
    Map<String, String> familyTopics();

    /**
     * CloudEvents {@code source} of every message, an absolute URI; unset, the public webhook URL ({@code
     * xwr.replay.webhook-url}), else {@code urn:x-webhook-receiver}.
     */
    Optional<String> source();

    /**
     * CloudEvents {@code type} prefix, a namespace this project owns; the event's dotted type follows, e.g. {@code
     * io.xwr.post.created}. Applied when a row is published.
     */
    @WithDefault("io.xwr.")
    String typePrefix();

    /**
     * Where each type's JSON Schema lives ({@code docs/schemas/}): {@code ce_dataschema} is this followed by {@code
     * <type>.json}. Point it at your own copy to serve the schemas from inside your network.
     */
    @WithDefault("https://raw.githubusercontent.com/example/x-webhook-receiver/main/docs/schemas/")
    String dataschemaBase();

    /**
     * Kafka {@code transactional.id} of this replica's relay. It must be stable for a pod, so that a pod restarted
     * after a crash fences its predecessor's open transaction at once (consumers reading committed records would
     * otherwise wait for {@code transaction.timeout.ms}), and unique among live replicas. Unset: {@code
     * xwr-outbox-} + {@code xwr.coverage.replica-id} when that is set (the pod name in k8s/), else a random id.
     */
    Optional<String> transactionalId();

    /** The relay drains only when this is true and {@code kafka.bootstrap.servers} is configured. */
    @WithDefault("true")
    boolean relayEnabled();

    /** Most rows one Kafka transaction carries. */
    @WithDefault("500")
    int batchSize();

    /** How long the relay sleeps when it found nothing; a local commit wakes it at once. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Failures that Kafka calls non-retriable (invalid topic, record too large) before a row is parked. */
    @WithDefault("5")
    int maxAttempts();
}
