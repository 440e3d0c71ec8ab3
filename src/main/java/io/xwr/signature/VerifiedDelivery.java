package io.xwr.signature;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A delivery whose raw bytes carried a valid X signature. Only {@link SignatureVerifier} can make one, so
 * code that accepts this type cannot be handed an unverified body.
 */
public final class VerifiedDelivery {
    private final byte[] body;
    private final Instant receivedAt;
    private final String secretFingerprint;
    private final Map<String, String> headers;

    VerifiedDelivery(byte[] body, Instant receivedAt, String secretFingerprint, Map<String, String> headers) {
        this.body = Objects.requireNonNull(body, "body");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.secretFingerprint = Objects.requireNonNull(secretFingerprint, "secretFingerprint");
        this.headers = Map.copyOf(headers);
    }

    /** The exact bytes that were verified. Not copied: callers must not modify them. */
    public byte[] body() {
        return body;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** Which configured secret matched, as its fingerprint (tells when an old secret can be retired). */
    public String secretFingerprint() {
        return secretFingerprint;
    }

    /** The same delivery with one more header kept (what this service adds, e.g. its trace context). */
    public VerifiedDelivery withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new VerifiedDelivery(body, receivedAt, secretFingerprint, more);
    }

    /** The request headers worth keeping (content type, tracing, retry hints), lower-case names. */
    public Map<String, String> headers() {
        return headers;
    }
}
