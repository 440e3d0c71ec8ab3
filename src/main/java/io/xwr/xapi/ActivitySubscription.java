package io.xwr.xapi;

import java.time.Instant;

/** An X Activity API subscription: which events of which filter go to which webhook. */
public record ActivitySubscription(
        String id,
        String eventType,
        String userId,
        String keyword,
        String direction,
        String tag,
        String webhookId,
        Instant createdAt) {}
