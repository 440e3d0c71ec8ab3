package io.xwr.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.ServiceProcess;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The public port's limits, tried as a flooding or slow client would: HTTP/2 off, header size, the deadline. */
@QuarkusTest
class EdgeLimitsTest {
    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL https;

    @TestHTTPResource("/webhooks/x")
    URL http;

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void negotiatesHttp11EvenWhenTheClientOffersH2() throws Exception {
        try (SSLSocket socket = (SSLSocket)
                ServiceProcess.trustingContext().getSocketFactory().createSocket(https.getHost(), https.getPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(parameters);

            socket.startHandshake();

            assertNotEquals("h2", socket.getApplicationProtocol());
            String answer = exchange(
                    socket,
                    "GET /webhooks/x?crc_token=foo HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    @Test
    void refusesHeadersOverTheLimitWithoutEchoingThem() throws Exception {
        String big = "x".repeat(9 * 1024);
        try (Socket socket = new Socket(http.getHost(), http.getPort())) {
            String answer = exchange(
                    socket,
                    "GET /webhooks/x?crc_token=foo HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + big
                            + "\r\nConnection: close\r\n\r\n");

            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
            assertFalse(answer.contains(big), "the header is not echoed");
        }
    }

    @Test
    void cutsAClientThatTricklesItsBodyAndStoresNothing() throws Exception {
        // Given
        long deliveries = new Db(dataSource).deliveries();
        double cut = cuts();
        try (Socket socket = new Socket(http.getHost(), http.getPort())) {
            socket.setSoTimeout(60_000); // the deadline is 6 s in tests; this only keeps a failure from hanging
            OutputStream out = socket.getOutputStream();

            // When: headers and the first 20 of 200 promised bytes, then nothing more
            out.write(("POST /webhooks/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "x-twitter-webhooks-signature: sha256=AAAA\r\nContent-Length: 200\r\n\r\n"
                            + "{\"for_user_id\":\"1\",")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // Then: the server closes the connection without an answer
            assertEquals("", readToClose(socket.getInputStream()));
        }
        assertEquals(cut + 1, cuts());
        assertEquals(deliveries, new Db(dataSource).deliveries());
    }

    private double cuts() {
        var counter = registry.find("xwr.requests.cut").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readToClose(socket.getInputStream());
    }

    /** Everything until the server closes; a reset counts as a close. */
    private static String readToClose(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            in.transferTo(buffer);
        } catch (SocketException reset) {
            // the server closed while we were reading: what arrived is the answer
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
