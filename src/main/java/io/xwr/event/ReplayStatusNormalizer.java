package io.xwr.event;

import static io.xwr.event.Nodes.required;
import static io.xwr.event.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;

/** Replay job completion (spec 5.7); key {@code replay:{webhook_id}:{job_id}:{job_state}}, account = the webhook. */
final class ReplayStatusNormalizer {

    void normalize(JsonNode envelope, EventBudget events) {
        JsonNode status = envelope.path("replay_job_status");
        String webhook = text(status, "webhook_id");
        events.add(Elements.guard(Family.REPLAY, webhook, "replay_job_status", status, s -> {
            String job = required(s, "job_id");
            String state = text(s, "job_state");
            return new ActivityEvent.ReplayJobFinished(
                    new EventMeta(
                            EventKey.of("replay", webhook, job, state),
                            Family.REPLAY,
                            webhook,
                            null,
                            "replay_job_status",
                            s),
                    webhook,
                    job,
                    state,
                    text(s, "job_state_description"));
        }));
    }
}
