package io.xwr.signature;

import java.nio.charset.StandardCharsets;

/**
 * A CRC token we are willing to sign. The CRC answer and a POST signature share key, algorithm and prefix, so
 * signing an arbitrary token would hand out signatures for forged bodies (spec 1.7). Event bodies are JSON
 * objects; a token that is empty, too long, or contains JSON structure characters or control characters is
 * therefore refused.
 */
public record CrcToken(String value) {

    /** Why a token is refused; the HTTP layer turns it into a 400. */
    public enum Refusal {
        MISSING,
        TOO_LONG,
        JSON_LIKE,
        CONTROL_CHARACTER
    }

    /** Either a token to sign or the reason it is refused. */
    public sealed interface Parsed {}

    public record Accepted(CrcToken token) implements Parsed {}

    public record Refused(Refusal refusal) implements Parsed {}

    public CrcToken {
        if (check(value, Integer.MAX_VALUE) != null) {
            throw new IllegalArgumentException("not a signable CRC token");
        }
    }

    /** Checks an already query-decoded token against the signing-oracle rules. */
    public static Parsed parse(String decoded, int maxBytes) {
        Refusal refusal = check(decoded, maxBytes);
        return refusal == null ? new Accepted(new CrcToken(decoded)) : new Refused(refusal);
    }

    private static Refusal check(String token, int maxBytes) {
        if (token == null || token.isEmpty()) {
            return Refusal.MISSING;
        }
        if (token.length() > maxBytes || token.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return Refusal.TOO_LONG;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '{' || c == '}' || c == '"' || c == '[' || c == ']') {
                return Refusal.JSON_LIKE;
            }
            if (Character.isISOControl(c)) {
                return Refusal.CONTROL_CHARACTER;
            }
        }
        return null;
    }

    byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
