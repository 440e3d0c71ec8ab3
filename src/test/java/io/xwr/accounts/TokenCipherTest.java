package io.xwr.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCipherTest {
    private static final String OLD = key();
    private static final String NEW = key();

    @Test
    void aTokenComesBackOnlyForItsAccountAndNeverAppearsInTheStoredText() {
        TokenCipher cipher = new TokenCipher(List.of(OLD));

        String stored = cipher.encrypt("refresh-token-secret", "42");

        assertFalse(stored.contains("refresh-token-secret"));
        assertNotEquals(stored, cipher.encrypt("refresh-token-secret", "42"), "a fresh IV each time");
        assertEquals("refresh-token-secret", cipher.decrypt(stored, "42"));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(stored, "43"));
        String changed = stored.substring(0, stored.length() - 4) + "AAAA";
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(changed, "42"));
    }

    @Test
    void aRotatedKeyStillDecryptsWhileListedAndTheNewOneEncrypts() {
        String stored = new TokenCipher(List.of(OLD)).encrypt("t", "1");
        TokenCipher rotated = new TokenCipher(List.of(NEW, OLD));

        assertEquals("t", rotated.decrypt(stored, "1"));
        assertEquals(rotated.currentKey(), rotated.encrypt("t", "1").split(":")[1]);
        IllegalStateException gone =
                assertThrows(IllegalStateException.class, () -> new TokenCipher(List.of(NEW)).decrypt(stored, "1"));
        assertFalse(gone.getMessage().contains(OLD));
    }

    @Test
    void refusesKeysThatAreNot256Bits() {
        assertThrows(IllegalArgumentException.class, () -> new TokenCipher(List.of("c2hvcnQ=")));
        assertThrows(IllegalArgumentException.class, () -> new TokenCipher(List.of("not base64!")));
        assertThrows(IllegalArgumentException.class, () -> new TokenCipher(List.of()));
    }

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
