/**
 * The domain: what X told us, independent of HTTP, JPA and Kafka. A delivery's raw bytes become a {@link
 * io.xwr.event.Normalization} holding sealed {@link io.xwr.event.ActivityEvent} records, each with a
 * deterministic {@link io.xwr.event.EventKey}. Depends only on {@code java..} and Jackson.
 */
package io.xwr.event;
