package io.xwr.xapi;

import java.time.Instant;

/** A webhook registered with X ({@code WebhookConfig}); {@code valid} is false after a failed CRC. */
public record Webhook(String id, String url, boolean valid, Instant createdAt) {}
