package io.xwr.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The outbox relay's background loop off: for tests that write many events with no Kafka round trip, and for
 * tests that drive every drain themselves. One profile for all of them, so Quarkus starts once for the group.
 */
public class RelayOff implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("xwr.outbox.relay-enabled", "false");
    }
}
