package io.xwr.ingress;

/**
 * X only ever delivers JSON objects, and a CRC token can never contain {@code {}: a signed body whose first
 * non-whitespace byte is not {@code {} is therefore either not from X or a CRC answer replayed as a signature
 * (the signing-oracle attack, spec 1.7), and is refused before anything is stored.
 */
final class ObjectCheck {
    private ObjectCheck() {}

    /** True when the first byte after JSON whitespace (RFC 8259: space, tab, LF, CR) opens an object. */
    static boolean opensObject(byte[] body) {
        for (byte b : body) {
            switch (b) {
                case ' ', '\t', '\n', '\r' -> {}
                case '{' -> {
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }
}
