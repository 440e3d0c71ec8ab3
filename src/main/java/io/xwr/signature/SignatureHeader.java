package io.xwr.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The {@code sha256=<base64>} format X uses for both CRC answers and POST signatures (spec 1.2, 2.1). */
public final class SignatureHeader {
    static final String PREFIX = "sha256=";
    /** "sha256=" + 44 characters of padded standard base64 of 32 bytes. */
    static final int LENGTH = PREFIX.length() + 44;

    private SignatureHeader() {}

    static String format(byte[] mac) {
        return PREFIX + Base64.getEncoder().encodeToString(mac);
    }

    /**
     * The 32 MAC bytes a header carries, or empty when it is not exactly X's format: missing prefix, hex,
     * base64url or unpadded values are refused rather than guessed at.
     */
    static Optional<byte[]> parse(String header) {
        if (header == null || header.length() != LENGTH || !header.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String b64 = header.substring(PREFIX.length());
        for (int i = 0; i < b64.length(); i++) {
            char c = b64.charAt(i);
            boolean std =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!std && !(c == '=' && i == b64.length() - 1)) {
                return Optional.empty();
            }
        }
        try {
            byte[] mac = Base64.getDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII));
            return mac.length == 32 ? Optional.of(mac) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
