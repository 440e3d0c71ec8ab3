package io.xwr.accounts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Users' OAuth tokens at rest: AES-256-GCM under keys from configuration. The first key encrypts; every key
 * listed decrypts, so a key is rotated by putting the new one first, letting refreshes re-encrypt, then dropping
 * the old one. Each ciphertext names its key (a fingerprint, not the key) and is bound to the account it belongs
 * to (associated data), so a token copied to another row does not decrypt.
 */
public final class TokenCipher {
    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String current;
    private final SecureRandom random = new SecureRandom();

    /** @param base64Keys 32-byte keys, base64; the first encrypts */
    public TokenCipher(List<String> base64Keys) {
        if (base64Keys.isEmpty()) {
            throw new IllegalArgumentException("at least one token key is needed");
        }
        List<String> ids = new ArrayList<>();
        for (String encoded : base64Keys) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(encoded.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a token key is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("a token key must be 32 bytes (256 bits), base64");
            }
            String id = fingerprint(key);
            keys.put(id, new SecretKeySpec(key, "AES"));
            ids.add(id);
        }
        this.current = ids.getFirst();
    }

    /** The fingerprint of the key that encrypts now: stored beside each token, to tell what needs re-encrypting. */
    public String currentKey() {
        return current;
    }

    public String encrypt(String token, String account) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(account.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + ":" + current + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The token, or an exception naming no secret when the key is gone or the text was changed. */
    public String decrypt(String stored, String account) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a stored token");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("the key that encrypted this token (" + parts[1] + ") is not configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(account.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored token does not decrypt (changed, or another account's)");
        }
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key))
                    .substring(0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
