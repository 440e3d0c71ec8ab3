package io.xwr.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Signs like X does (spec 2.2), with Bouncy Castle's lightweight HMAC: an implementation independent of the
 * JCA code under test, so a shared mistake cannot hide.
 */
public final class XSigner {
    /** The sample consumer secret of spec 11 (public OAuth documentation, not a live credential). */
    public static final String SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    /** The second configured test secret: accepted for signatures during rotation, never answers CRCs. */
    public static final String OLD_SECRET = "your_consumer_secret_here";
    /** A secret that is no longer configured. */
    public static final String RETIRED_SECRET = "retired-secret-0000000000000000000000000000";

    private XSigner() {}

    public static String sign(String secret, byte[] message) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(secret.getBytes(StandardCharsets.UTF_8)));
        hmac.update(message, 0, message.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return "sha256=" + Base64.getEncoder().encodeToString(out);
    }

    public static String sign(byte[] body) {
        return sign(SECRET, body);
    }

    public static String sign(String secret, String message) {
        return sign(secret, message.getBytes(StandardCharsets.UTF_8));
    }
}
