package io.xwr.bench;

import io.xwr.testing.ServiceProcess;
import io.xwr.testing.XSigner;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * The load generator's client: one kept-alive HTTP/1.1 connection over TLS, each request written and its answer
 * read on the calling thread. {@code java.net.http} hands every answer between its selector and the caller's
 * thread; on 2 cores shared with the server, each hand-over can wait a scheduler slice (measured as the server's
 * latency), and its machinery costs the generator CPU that the server under test then lacks.
 */
final class Http1Connection implements AutoCloseable {
    private final URI webhook;
    private final String host;
    private SSLSocket socket;
    private OutputStream out;
    private InputStream in;

    Http1Connection(URI webhook) throws IOException {
        this.webhook = webhook;
        this.host = webhook.getHost() + ":" + webhook.getPort();
        open();
    }

    private void open() throws IOException {
        socket = (SSLSocket)
                ServiceProcess.trustingContext().getSocketFactory().createSocket(webhook.getHost(), webhook.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** A CRC, {@code GET <webhook>?crc_token=<token>}: the status. */
    int crc(String token) throws IOException {
        String head = "GET " + webhook.getRawPath() + "?crc_token=" + token + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
        return exchange(head.getBytes(StandardCharsets.US_ASCII), null);
    }

    /** A delivery signed the way X signs it: the status. */
    int deliver(byte[] body) throws IOException {
        String head = "POST " + webhook.getRawPath() + " HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nUser-Agent: xwr-load\r\nContent-Length: " + body.length
                + "\r\nx-twitter-webhooks-signature: " + XSigner.sign(body) + "\r\n\r\n";
        return exchange(head.getBytes(StandardCharsets.US_ASCII), body);
    }

    /**
     * Writes one request and reads its whole answer. A connection that broke is reopened for the next request; this
     * one fails with the IOException (the caller counts it: X would retry it).
     */
    private int exchange(byte[] head, byte[] body) throws IOException {
        try {
            out.write(head);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            open();
            throw e;
        }
    }

    /** Status line, headers, then a Content-Length or chunked body; reopens when the server says close. */
    private int readResponse() throws IOException {
        String status = line();
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                in.skipNBytes(size);
                line();
            }
            line();
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        if (close) {
            close();
            open();
        }
        return Integer.parseInt(status.split(" ")[1]);
    }

    private long chunkSize() throws IOException {
        String size = line();
        int extension = size.indexOf(';');
        return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a broken connection: nothing left to release
        }
    }
}
