package io.xwr.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder that can cut every connection and refuse new ones, then resume: an outage of an
 * external database that the tests do not own. For Kafka it can also cut at one chosen request, which is how a
 * broker lost in the middle of a transaction's commit looks to the client. Given several targets it is a
 * round-robin balancer that skips a target refusing connections, as a Kubernetes Service does for a dead pod.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private volatile List<Integer> targetPorts;
    private final AtomicInteger next = new AtomicInteger();
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut = true;
    private final boolean kafkaFrames;
    private volatile KafkaCut armed;
    private volatile boolean repliesDropped;

    /**
     * Cut once the client {@code clientId} sends the request {@code apiKey}; the request itself reaches the
     * broker first (its answer is lost) or not.
     */
    record KafkaCut(short apiKey, String clientId, boolean forwarded, CountDownLatch fired) {
        /** Request header v1+: api key, api version, correlation id, then the client id as a short string. */
        boolean matches(byte[] frame) {
            ByteBuffer header = ByteBuffer.wrap(frame);
            if (frame.length < 10 || header.getShort(0) != apiKey) {
                return false;
            }
            int length = header.getShort(8);
            return length >= 0
                    && frame.length >= 10 + length
                    && clientId.equals(new String(frame, 10, length, StandardCharsets.UTF_8));
        }
    }

    TcpProxy(String targetHost, int targetPort) {
        this(targetHost, targetPort, false);
    }

    /** @param kafkaFrames read client bytes as Kafka request frames (size, api key, ...) so a cut can be armed */
    TcpProxy(String targetHost, int targetPort, boolean kafkaFrames) {
        this.kafkaFrames = kafkaFrames;
        this.targetHost = targetHost;
        this.targetPorts = List.of(targetPort);
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
    }

    /** A round-robin balancer over the given loopback ports, open at once. */
    public static TcpProxy balancer(List<Integer> ports) {
        TcpProxy proxy = new TcpProxy("127.0.0.1", ports.getFirst());
        proxy.targetPorts = List.copyOf(ports);
        proxy.resume();
        return proxy;
    }

    /** Balances over other ports from now on (replicas restarted on new ports behind the same address). */
    public void targets(List<Integer> ports) {
        this.targetPorts = List.copyOf(ports);
    }

    /** Points the proxy at another port (a server that picked its port at start-up). */
    void target(int port) {
        this.targetPorts = List.of(port);
    }

    public int port() {
        return server.getLocalPort();
    }

    void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    void resume() {
        repliesDropped = false;
        cut = false;
    }

    /** Arms a one-shot cut at the next such Kafka request of that client; the latch opens when it fires. */
    CountDownLatch cutAtRequest(short apiKey, String clientId, boolean forwarded) {
        KafkaCut cut = new KafkaCut(apiKey, clientId, forwarded, new CountDownLatch(1));
        armed = cut;
        return cut.fired();
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = connectUpstream();
                if (upstream == null) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> {
                    if (kafkaFrames) {
                        pumpKafkaRequests(client, upstream);
                    } else {
                        pump(client, upstream, false);
                    }
                });
                Thread.ofVirtual().start(() -> pump(upstream, client, true));
            } catch (IOException e) {
                // server closed, or the target refused: the client sees a closed connection
            }
        }
    }

    /** The next target in turn that accepts a connection, or null when none does. */
    private Socket connectUpstream() {
        List<Integer> ports = targetPorts;
        for (int tried = 0; tried < ports.size(); tried++) {
            int port = ports.get(Math.floorMod(next.getAndIncrement(), ports.size()));
            try {
                return new Socket(targetHost, port);
            } catch (IOException refused) {
                // a dead target: try the next
            }
        }
        return null;
    }

    /** Forwards bytes as they come; replies are dropped while an armed Kafka cut lets a request through. */
    private void pump(Socket from, Socket to, boolean replies) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (!(replies && repliesDropped)) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // connection cut
        } finally {
            release(from, to);
        }
    }

    /** Forwards whole request frames, so that an armed cut falls exactly before or after one request. */
    private void pumpKafkaRequests(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
                OutputStream out = to.getOutputStream()) {
            while (true) {
                int size = in.readInt();
                byte[] frame = new byte[size];
                in.readFully(frame);
                KafkaCut trigger = armed;
                boolean hit = trigger != null && trigger.matches(frame);
                if (hit && !trigger.forwarded()) {
                    fire(trigger);
                    return;
                }
                if (hit) {
                    repliesDropped = true; // the broker acts on the request; its answer is lost on the way
                }
                out.write(ByteBuffer.allocate(4 + size).putInt(size).put(frame).array());
                out.flush();
                if (hit) {
                    Thread.sleep(500);
                    fire(trigger);
                    return;
                }
            }
        } catch (IOException e) {
            // connection cut
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release(from, to);
        }
    }

    private void fire(KafkaCut trigger) {
        armed = null;
        cut();
        trigger.fired().countDown();
    }

    /** Either direction ending ends the connection: both sockets closed and forgotten. */
    private void release(Socket from, Socket to) {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
