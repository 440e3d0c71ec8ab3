package io.xwr.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.xwr.testing.XSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The test vectors of spec section 11, against the production HMAC code and the independent test signer. */
class SignatureVectorsTest {
    private static final String SECRET = XSigner.SECRET;
    private static final String S1 =
            "{\"for_user_id\":\"2244994945\",\"favorite_events\":[{\"id\":\"a7ba59eab0bfcba386f7acedac279542\",\"timestamp_ms\":1522082006140}]}";
    private static final String S1_SIGNATURE = "sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0=";
    private static final String S2 = """
            {
              "for_user_id": "2244994945",
              "favorite_events": [
                {
                  "id": "a7ba59eab0bfcba386f7acedac279542",
                  "timestamp_ms": 1522082006140
                }
              ]
            }""";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            C1 | challenge_string                     | your_consumer_secret_here                          | sha256=mchn+rKsGVnYHN/lGyanuEw6XariJ3D+ARDLDsd0dS0=
            C2 | foo                                  | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw        | sha256=KGwPHQJPaVoxk5RWMCZXvu7ppQqe20ugPzzV9ed1O3o=
            C3 | foo                                  | your_consumer_secret_here                          | sha256=nMvy4kC7JYUQ5Z+TwyRtgLk03oSdEHyMSAJxzlEQxxA=
            C4 | d2VsY29tZSt0by90aGUrcHJvdG9jb2w9     | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw        | sha256=Qxl/nrivNjAcEsBUJBRrpidazaJYHsFXTeLLUEm0hlM=
            C5 | abc+def/ghi=                         | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw        | sha256=uNv5YGimdctqfnCeJq8HgxENK9PTOF6zPx1iuTbSFOw=
            C6 | abc def/ghi=                         | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw        | sha256=bJAqz0lqiL3iVQ51vp1ELT4zQAHwmEy81rUwiDSPy4g=
            I1 | test token                           | apiSecret                                          | sha256=O5hJl2njQRIa4vsumZ+3oom9ECR5m3aQLRZkPoYelp0=
            I2 | I-am-a-token                         | 12345                                              | sha256=rCq4c3Kw116JJ4rIxl0aR3lhY8UZ0ZsQsv6IBQY6YFE=
            I3 | 9b4507b3-9040-4669-9ca3-6b94edb50553 | z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu | sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=
            """)
    void answersCrcVectors(String name, String token, String secret, String expected) {
        // Given
        ConsumerSecret key = new ConsumerSecret(secret);
        CrcToken crcToken = ((CrcToken.Accepted) CrcToken.parse(token, 1024)).token();

        // When
        String answer = SignatureHeader.format(key.mac(crcToken.bytes()));

        // Then
        assertEquals(expected, answer, name);
        assertEquals(expected, XSigner.sign(secret, token), name + " (independent signer)");
    }

    @Test
    void signsLegacyGetQueryStringVector() {
        String query = "crc_token=d2VsY29tZSt0by90aGUrcHJvdG9jb2w9&nonce=MTU5NTg1NDQ2NzQ5Nw";
        assertEquals(
                "sha256=fs8hOBEHR0S8ojAjNMgkOLBAMwPkCrMDrxcjrtrw7S0=",
                SignatureHeader.format(new ConsumerSecret(SECRET).mac(query.getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            S1 | 7b22666f725f757365725f6964223a2232323434393934393435222c226661766f726974655f6576656e7473223a5b7b226964223a226137626135396561623062666362613338366637616365646163323739353432222c2274696d657374616d705f6d73223a313532323038323030363134307d5d7d | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw | sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0=
            S3 | 7b22666f725f757365725f6964223a2232323434393934393435222c226661766f726974655f6576656e7473223a5b7b226964223a226137626135396561623062666362613338366637616365646163323739353432222c2274696d657374616d705f6d73223a313532323038323030363134307d5d7d0a | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw | sha256=7ikdfuJdNzatvAKaA1amO9va40n5PLQoke+Bi8YOpb8=
            S4 | 7b2274657874223a22ec9ea6ec9d8020ec9a94ecb2ad227d | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw | sha256=vxeqUi0n8UDFkz5WbjAMAcYXf64s3dNFFbBPb0yhXU8=
            S5 | 7b2274657874223a225c75633761365c7563373430205c75633639345c7563636164227d | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw | sha256=DwI//aP12PDishbhMKPLq/+BMY/xEtDBNFC9tSsnl/w=
            S7 |  | kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw | sha256=uf7k/xKIslGeqOIFv7VwD9YIyE/5fnaKnIGM41/BxLk=
            I4 | 746573743d31266f746865725f746573743d32 | test | sha256=25Cu3iwbbiqBTwQRzcKJZwisjf736V2Q8UaTlkfLSoc=
            I5 | 7b22746573745f6e756d626572223a312c22746573745f737472696e67223a2274776f227d | test | sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=
            """)
    void acceptsPostSignatureVectors(String name, String bodyHex, String secret, String signature) {
        // Given
        byte[] body = bodyHex == null ? new byte[0] : HexFormat.of().parseHex(bodyHex);
        SignatureVerifier verifier = new SignatureVerifier(ConsumerSecrets.of(List.of(secret)));

        // When
        SignatureCheck check = verifier.verify(body, signature, Map.of(), Instant.EPOCH);

        // Then
        assertInstanceOf(SignatureCheck.Valid.class, check, name);
        assertEquals(signature, XSigner.sign(secret, body), name + " (independent signer)");
    }

    @Test
    void acceptsS6XaaVector() {
        String s6 =
                "{\"data\":{\"event_uuid\":\"2080761390344937796\",\"filter\":{\"user_id\":\"1111111111111111111\"},\"event_type\":\"profile.update.bio\",\"tag\":\"profile-bio\",\"payload\":{\"before\":\"a\",\"after\":\"b\"}}}";
        SignatureCheck check = verifier()
                .verify(
                        s6.getBytes(StandardCharsets.UTF_8),
                        "sha256=99yoSH20fXF84FTHWNYFHsE1gqrLipBSiJlJux7Gnbo=",
                        Map.of(),
                        Instant.EPOCH);
        assertInstanceOf(SignatureCheck.Valid.class, check);
    }

    @Test
    void refusesPrettyPrintedBodyCarryingTheCompactBodysSignature() {
        // S2 is S1 pretty-printed: equal JSON, different bytes (spec 11.2).
        assertEquals(157, S2.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(
                new SignatureCheck.Invalid(SignatureCheck.Reason.MISMATCH),
                verifier().verify(S2.getBytes(StandardCharsets.UTF_8), S1_SIGNATURE, Map.of(), Instant.EPOCH));
        assertEquals("sha256=bBXytidUWW+fteK+qvoteOYX0a9Iva86gOtb7BjOUTI=", XSigner.sign(SECRET, S2));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sha256=885973c5f5a11d82fbae88117703e05db1badd76bd431c92057eab3fc8aeacfd",
                "iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0=",
                "sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0",
                "SHA256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0=",
                "sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0= ",
                "sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP0_",
                "sha256=iFlzxfWhHYL7rogRdwPgXbG63Xa9QxySBX6rP8iurP=="
            })
    void refusesSignaturesNotInXsFormat(String header) {
        assertEquals(
                new SignatureCheck.Invalid(SignatureCheck.Reason.MALFORMED),
                verifier().verify(S1.getBytes(StandardCharsets.UTF_8), header, Map.of(), Instant.EPOCH));
    }

    @Test
    void refusesMissingSignature() {
        assertEquals(
                new SignatureCheck.Invalid(SignatureCheck.Reason.MISSING),
                verifier().verify(S1.getBytes(StandardCharsets.UTF_8), null, Map.of(), Instant.EPOCH));
    }

    @Test
    void oneSecretSignsInterleavedBodiesOnManyThreadsAsTheTestSignerDoes() throws Exception {
        // Each thread keeps its Mac between calls: every call must start from the key alone.
        ConsumerSecret secret = new ConsumerSecret(SECRET);
        List<byte[]> bodies = List.of(
                S1.getBytes(StandardCharsets.UTF_8), S2.getBytes(StandardCharsets.UTF_8), new byte[0], new byte[5000]);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        byte[] body = bodies.get((i + offset) % bodies.size());
                        assertEquals(XSigner.sign(SECRET, body), SignatureHeader.format(secret.mac(body)));
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
    }

    @Test
    void refusesBodyWithOneFlippedByte() {
        byte[] body = S1.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < body.length; i++) {
            byte[] flipped = body.clone();
            flipped[i] ^= 0x01;
            assertEquals(
                    new SignatureCheck.Invalid(SignatureCheck.Reason.MISMATCH),
                    verifier().verify(flipped, S1_SIGNATURE, Map.of(), Instant.EPOCH),
                    "byte " + i);
        }
    }

    @Test
    void acceptsEveryConfiguredSecretDuringRotationAndRemembersWhich() {
        // Given
        SignatureVerifier rotating =
                new SignatureVerifier(ConsumerSecrets.of(List.of("new-secret", XSigner.OLD_SECRET)));
        byte[] body = S1.getBytes(StandardCharsets.UTF_8);

        // When
        SignatureCheck withNew = rotating.verify(body, XSigner.sign("new-secret", body), Map.of(), Instant.EPOCH);
        SignatureCheck withOld = rotating.verify(body, XSigner.sign(XSigner.OLD_SECRET, body), Map.of(), Instant.EPOCH);
        SignatureCheck withRetired =
                rotating.verify(body, XSigner.sign(XSigner.RETIRED_SECRET, body), Map.of(), Instant.EPOCH);

        // Then
        assertEquals(
                new ConsumerSecret("new-secret").fingerprint(),
                ((SignatureCheck.Valid) withNew).delivery().secretFingerprint());
        assertEquals(
                new ConsumerSecret(XSigner.OLD_SECRET).fingerprint(),
                ((SignatureCheck.Valid) withOld).delivery().secretFingerprint());
        assertEquals(new SignatureCheck.Invalid(SignatureCheck.Reason.MISMATCH), withRetired);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"for_user_id\":\"1\"}", "[1]", "a\"b", "line\nbreak", "tab\there", ""})
    void refusesCrcTokensThatCouldBeForgedBodies(String token) {
        assertInstanceOf(CrcToken.Refused.class, CrcToken.parse(token, 1024));
    }

    @Test
    void refusesOverlongCrcTokens() {
        assertInstanceOf(CrcToken.Accepted.class, CrcToken.parse("a".repeat(1024), 1024));
        assertEquals(new CrcToken.Refused(CrcToken.Refusal.TOO_LONG), CrcToken.parse("a".repeat(1025), 1024));
        // multi-byte characters count in UTF-8 bytes
        assertEquals(new CrcToken.Refused(CrcToken.Refusal.TOO_LONG), CrcToken.parse("é".repeat(513), 1024));
    }

    @Test
    void fingerprintDoesNotRevealTheSecret() {
        ConsumerSecret secret = new ConsumerSecret(SECRET);
        assertEquals(8, secret.fingerprint().length());
        assertEquals(false, secret.toString().contains(SECRET));
    }

    private static SignatureVerifier verifier() {
        return new SignatureVerifier(ConsumerSecrets.of(List.of(SECRET)));
    }
}
