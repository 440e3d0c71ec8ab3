package io.xwr.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** CloudEvents wants an absolute URI as source: a relative one stops the service at start-up, saying which. */
class CloudEventSourceTest {
    @Test
    void absoluteUrisAndUrnsAreTaken() {
        assertEquals(
                URI.create("https://x-webhooks.example.com/webhooks/x"),
                CloudEventMapping.absolute("xwr.outbox.source", "https://x-webhooks.example.com/webhooks/x"));
        assertEquals(
                URI.create(CloudEventMapping.DEFAULT_SOURCE),
                CloudEventMapping.absolute("xwr.outbox.source", CloudEventMapping.DEFAULT_SOURCE));
    }

    @Test
    void aRelativeOrMalformedSourceIsRefusedByName() {
        IllegalArgumentException relative = assertThrows(
                IllegalArgumentException.class,
                () -> CloudEventMapping.absolute("xwr.outbox.source", "/x-webhook-receiver"));
        assertEquals(
                "xwr.outbox.source must be an absolute URI (CloudEvents), not /x-webhook-receiver",
                relative.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CloudEventMapping.absolute("xwr.outbox.source", "https://bad host/"));
    }
}
