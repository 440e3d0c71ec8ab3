package io.xwr.xapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request bodies sent to X, in X's field names (OpenAPI schemas of the same names). */
public final class XRequests {
    private XRequests() {}

    @RegisterForReflection
    public record CreateWebhook(String url) {}

    /** {@code CreateWebhookReplayJobRequest}: dates are {@code yyyymmddhhmm} UTC. */
    @RegisterForReflection
    public record Replay(
            @JsonProperty("webhook_id") String webhookId,
            @JsonProperty("from_date") String fromDate,
            @JsonProperty("to_date") String toDate) {}

    /** {@code CreateActivitySubscriptionRequest}; X allows no other keys. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateSubscription(
            @JsonProperty("event_type") String eventType,
            Filter filter,
            String tag,
            @JsonProperty("webhook_id") String webhookId) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(@JsonProperty("user_id") String userId, String keyword, String direction) {}

    /** {@code CreateComplianceJobRequest}: {@code tweets} or {@code users}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateComplianceJob(String type, String name) {}
}
