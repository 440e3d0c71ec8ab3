package io.xwr.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts the X simulator for the whole suite and points the service's X client at it. */
public class XSimulatorResource implements QuarkusTestResourceLifecycleManager {
    private static XSimulator simulator;

    public static XSimulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        try {
            if (simulator == null) {
                simulator = new XSimulator();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "xwr.x.base-url",
                simulator.baseUrl(),
                "xwr.x.bearer-token",
                XSimulator.BEARER,
                "xwr.x.oauth.authorize-url",
                simulator.baseUrl() + "/i/oauth2/authorize");
    }

    @Override
    public void stop() {
        // kept for the JVM's life: profiles restart the application, and X does not go away with it
    }
}
