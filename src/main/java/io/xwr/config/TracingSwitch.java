package io.xwr.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.List;

/**
 * Spans are exported only when an OTLP endpoint is configured: {@code quarkus.otel.sdk.disabled} defaults to true
 * without one. Quarkus would otherwise export to {@code localhost:4317} and log each failure (quarkus#44200: an
 * empty endpoint cannot say "none"). A disabled SDK still makes spans, it exports nothing: trace contexts are
 * still carried to Kafka for consumers. An explicit {@code quarkus.otel.sdk.disabled} wins either way.
 */
@Priority(Priorities.APPLICATION + 100)
public class TracingSwitch implements ConfigSourceInterceptor {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS =
            List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name)
                || explicit(value)
                || ENDPOINTS.stream().map(context::proceed).anyMatch(TracingSwitch::explicit)) {
            return value;
        }
        return value != null
                ? value.withValue("true")
                : ConfigValue.builder()
                        .withName(name)
                        .withValue("true")
                        .withConfigSourceName(TracingSwitch.class.getSimpleName())
                        .build();
    }

    /** Set by the operator (a properties file, the environment, a system property), not a default. */
    private static boolean explicit(ConfigValue value) {
        return value != null && value.getValue() != null && value.getConfigSourceOrdinal() > 0;
    }
}
