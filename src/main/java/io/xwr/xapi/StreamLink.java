package io.xwr.xapi;

import java.time.Instant;
import java.util.List;

/**
 * A link of the app's filtered stream to a webhook, with the fields X sends for each post, as X lists them
 * (X's listing splits {@code user.fields=username,name} into {@code "user.fields=username", "name"}: kept as given).
 */
public record StreamLink(String webhookId, List<String> fields, String instanceId, Instant createdAt) {
    public StreamLink {
        fields = List.copyOf(fields);
    }
}
