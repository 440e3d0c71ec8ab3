package io.xwr.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/** The webhook endpoint: which secrets sign X's requests and how much we accept. */
@ConfigMapping(prefix = "xwr.ingress")
public interface IngressConfig {

    /**
     * The app's OAuth 1.0a consumer secrets ("API Key Secret"), newest first. Every one is accepted for POST
     * signatures (rotation); the first one answers CRCs, because a CRC answered with the wrong secret
     * invalidates the webhook at once (spec 10.1).
     */
    @Size(min = 1)
    List<@NotBlank @Pattern(regexp = "\\S+", message = "must not contain whitespace") String> consumerSecrets();

    /** Largest delivery body accepted; larger ones get 413 and X retries them. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * Events one delivery may yield. X sends one to a few dozen; past the limit, the elements are kept in the raw
     * delivery and recorded as one unknown activity, so a hostile body of tiny elements costs bounded work.
     */
    @WithDefault("1000")
    @Min(1)
    int maxEventsPerDelivery();

    /**
     * JSON nodes read of one delivery to find its events. Past it the rest is only scanned (for the posts a purge
     * must find) and counted: a 5 MiB body of tiny elements read whole would take 115 MiB of heap, this many nodes
     * take at most about 17 MiB. X's largest deliveries hold a few thousand.
     */
    @WithDefault("100000")
    @Min(1)
    int maxNodesPerDelivery();

    /**
     * Longest a webhook request may take, from its headers to the answer; a slower client is disconnected. X sends
     * in milliseconds and waits about 3 s, so this only ever cuts clients that trickle their bytes.
     */
    @WithDefault("15s")
    Duration requestDeadline();

    /**
     * Longest a signed delivery waits for its commit before it is answered 503 (X retries it; if the commit still
     * lands, the retry is a duplicate the event keys absorb). Shorter than the request deadline, so a slow database
     * gets an answer, never a closed connection.
     */
    @WithDefault("5s")
    Duration commitWait();

    /** Longest CRC token answered (UTF-8 bytes); a longer one could be a forged event body (spec 1.7). */
    @WithDefault("1024")
    int maxCrcTokenBytes();
}
