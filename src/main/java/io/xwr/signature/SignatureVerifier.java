package io.xwr.signature;

import io.xwr.config.IngressConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies {@code x-twitter-webhooks-signature} over the raw body bytes against every configured consumer
 * secret, in constant time, failing closed (spec 2).
 */
@ApplicationScoped
public class SignatureVerifier {
    private final ConsumerSecrets secrets;

    @Inject
    public SignatureVerifier(IngressConfig config) {
        this.secrets = ConsumerSecrets.of(config.consumerSecrets());
    }

    /** Outside CDI (the benchmark's bare endpoint verifies exactly as the service does). */
    public SignatureVerifier(ConsumerSecrets secrets) {
        this.secrets = secrets;
    }

    public SignatureCheck verify(byte[] body, String header, Map<String, String> headers, Instant receivedAt) {
        if (header == null || header.isEmpty()) {
            return new SignatureCheck.Invalid(SignatureCheck.Reason.MISSING);
        }
        Optional<byte[]> presented = SignatureHeader.parse(header);
        if (presented.isEmpty()) {
            return new SignatureCheck.Invalid(SignatureCheck.Reason.MALFORMED);
        }
        ConsumerSecret matched = null;
        // Every secret is tried even after a match, so timing says nothing about which one matched.
        for (ConsumerSecret secret : secrets.all()) {
            if (MessageDigest.isEqual(secret.mac(body), presented.get()) && matched == null) {
                matched = secret;
            }
        }
        if (matched == null) {
            return new SignatureCheck.Invalid(SignatureCheck.Reason.MISMATCH);
        }
        return new SignatureCheck.Valid(new VerifiedDelivery(body, receivedAt, matched.fingerprint(), headers));
    }
}
