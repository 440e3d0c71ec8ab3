package io.xwr.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One consumer secret, held as an HMAC key. Its {@link #fingerprint()} (a short SHA-256 prefix) is what logs
 * and metrics may show; the secret itself never leaves this class.
 */
public final class ConsumerSecret {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String fingerprint;
    /**
     * One initialized Mac per thread (a Mac is not thread-safe): looking the algorithm up among the providers (Bouncy
     * Castle is registered too) and keying it cost more than the HMAC of a 4 KB body. doFinal resets it for reuse.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public ConsumerSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("consumer secret must not be empty");
        }
        // Used verbatim: no trimming, no OAuth "&" suffix (spec 1.2, 2.4).
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.fingerprint = HexFormat.of().formatHex(sha256(bytes), 0, 4);
    }

    /** HMAC-SHA256 of the message under this secret; 32 bytes. */
    public byte[] mac(byte[] message) {
        return macs.get().doFinal(message);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** First 8 hex characters of SHA-256(secret): tells secrets apart without revealing them. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "ConsumerSecret[" + fingerprint + "]";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
