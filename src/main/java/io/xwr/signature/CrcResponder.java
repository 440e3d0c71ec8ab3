package io.xwr.signature;

import io.xwr.config.IngressConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Answers X's Challenge-Response Checks from memory (spec 1.2): no I/O, so it stays fast under any load. */
@ApplicationScoped
public class CrcResponder {
    private final ConsumerSecrets secrets;

    public CrcResponder(IngressConfig config) {
        this.secrets = ConsumerSecrets.of(config.consumerSecrets());
    }

    /** {@code sha256=<base64 HMAC-SHA256(crc secret, token)>}. */
    public String responseToken(CrcToken token) {
        return SignatureHeader.format(secrets.crcSecret().mac(token.bytes()));
    }

    /** Fingerprint of the secret that answers CRCs, for logs and metrics. */
    public String crcSecretFingerprint() {
        return secrets.crcSecret().fingerprint();
    }
}
