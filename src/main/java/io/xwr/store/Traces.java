package io.xwr.store;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A delivery's trace context across the raw log: the ack path keeps its span's W3C {@code traceparent} with the
 * delivery (as the header {@link #HEADER}), and the relay publishes the delivery's events as children of it.
 */
public final class Traces {
    /** Stored among a delivery's kept headers: this service's own, never one X sent. */
    public static final String HEADER = "x-xwr-traceparent";

    /** How {@link #HEADER} opens in a delivery's kept headers (a flat JSON object of strings). */
    private static final String IN_HEADERS = "\"" + HEADER + "\":\"";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private Traces() {}

    /** The span's {@code traceparent}, or null without a valid context (no OpenTelemetry SDK at all). */
    public static String traceparent(Span span) {
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.root().with(span), carrier, Map::put);
        return carrier.get("traceparent");
    }

    /** The ack's {@code traceparent} among a delivery's kept headers (JSON), found without parsing them all. */
    public static String fromHeaders(String headers) {
        int start = headers == null ? -1 : headers.indexOf(IN_HEADERS);
        if (start < 0) {
            return null;
        }
        int from = start + IN_HEADERS.length();
        int end = headers.indexOf('"', from);
        return end < 0 ? null : headers.substring(from, end);
    }

    /** The context a child of this {@code traceparent} starts from; the root context when there is none. */
    public static Context parent(String traceparent) {
        return traceparent == null ? Context.root() : W3C.extract(Context.root(), traceparent, ONE_VALUE);
    }
}
