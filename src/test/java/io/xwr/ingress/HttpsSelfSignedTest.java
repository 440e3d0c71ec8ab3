package io.xwr.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** With no certificate configured, HTTPS is served with a generated self-signed one, TLS 1.2+ and HSTS. */
@QuarkusTest
class HttpsSelfSignedTest {
    @TestHTTPResource(value = "/webhooks/x", tls = true)
    URL https;

    @Test
    void servesTheWebhookOverTlsWithTheGeneratedCertificate() throws Exception {
        // Given: a client that records what the server presents instead of trusting a CA
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new RecordingTrustManager()}, new SecureRandom());

        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(https.getHost(), https.getPort())) {
            // When
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET /webhooks/x?crc_token=foo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = read(socket.getInputStream());

            // Then
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals(
                    "CN=x-webhook-receiver",
                    certificate.getSubjectX500Principal().getName());
            assertTrue(certificate.getSubjectAlternativeNames().stream()
                    .anyMatch(name -> List.of(2, "localhost").equals(name)));
            assertTrue(
                    List.of("TLSv1.2", "TLSv1.3").contains(socket.getSession().getProtocol()));
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("sha256=KGwPHQJPaVoxk5RWMCZXvu7ppQqe20ugPzzV9ed1O3o="), response);
            assertTrue(
                    response.toLowerCase().contains("strict-transport-security: max-age=31536000; includesubdomains"),
                    response);
        }
    }

    private static String read(InputStream in) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static final class RecordingTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
