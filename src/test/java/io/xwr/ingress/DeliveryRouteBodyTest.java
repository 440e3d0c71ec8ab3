package io.xwr.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How the delivery route gathers a body: byte for byte, in one array when declared, never past the limit. */
class DeliveryRouteBodyTest {
    private final byte[] payload = new byte[100_000];

    DeliveryRouteBodyTest() {
        new Random(3).nextBytes(payload);
    }

    @Test
    void aBodyWithoutADeclaredLengthGrowsAndComesBackByteForByte() {
        DeliveryRoute.Body body = new DeliveryRoute.Body(-1);
        for (int from = 0; from < payload.length; from += 1_500) {
            int to = Math.min(payload.length, from + 1_500);
            assertTrue(body.append(Buffer.buffer(java.util.Arrays.copyOfRange(payload, from, to)), 1_000_000));
        }
        assertArrayEquals(payload, body.take());
    }

    @Test
    void aDeclaredBodyArrivingInChunksComesBackByteForByte() {
        DeliveryRoute.Body body = new DeliveryRoute.Body(payload.length);
        assertTrue(body.append(Buffer.buffer(java.util.Arrays.copyOfRange(payload, 0, 40_000)), 1_000_000));
        assertTrue(body.append(Buffer.buffer(java.util.Arrays.copyOfRange(payload, 40_000, 100_000)), 1_000_000));
        assertArrayEquals(payload, body.take());
    }

    @Test
    void aChunkThatWouldPassTheLimitIsRefusedAndNothingIsKept() {
        DeliveryRoute.Body body = new DeliveryRoute.Body(-1);
        assertTrue(body.append(Buffer.buffer(new byte[60_000]), 100_000));
        assertFalse(body.append(Buffer.buffer(new byte[40_001]), 100_000));
        assertArrayEquals(new byte[0], body.take());
    }

    @Test
    void aBodyExactlyAtTheLimitIsTaken() {
        DeliveryRoute.Body body = new DeliveryRoute.Body(-1);
        assertTrue(body.append(Buffer.buffer(payload), payload.length));
        assertArrayEquals(payload, body.take());
    }
}
