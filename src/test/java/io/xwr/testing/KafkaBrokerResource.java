package io.xwr.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real KRaft Kafka broker in the test JVM (Apache Kafka's own {@code KafkaClusterTestKit}). The broker
 * advertises a {@link TcpProxy} in front of it, so every client connection crosses the proxy and a test can
 * make the broker unreachable mid-burst and bring it back, as a broker restart or partition would.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private static KafkaClusterTestKit cluster;
    private static TcpProxy proxy;

    /** Cuts every client connection to the broker and refuses new ones. */
    public static void disconnectBroker() {
        proxy.cut();
    }

    /**
     * Cuts every client connection when the client {@code clientId} next sends the request {@code apiKey},
     * and refuses new connections until {@link #reconnectBroker()}; {@code forwarded} lets that request reach
     * the broker first and loses only its answer. The latch opens when the cut happens.
     */
    public static CountDownLatch disconnectAtRequest(short apiKey, String clientId, boolean forwarded) {
        return proxy.cutAtRequest(apiKey, clientId, forwarded);
    }

    /** Lets clients reach the broker again. */
    public static void reconnectBroker() {
        proxy.resume();
    }

    /** Bootstrap servers for test clients (through the proxy, like the service's). */
    public static String bootstrapServers() {
        return "127.0.0.1:" + proxy.port();
    }

    @Override
    public Map<String, String> start() {
        try {
            proxy = new TcpProxy("127.0.0.1", 0, true);
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // The kit defaults to the newest *testing* metadata version; use a production one.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setPerServerProperties(
                            Map.of(0, Map.of("advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port())))
                    .build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "4")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            // The kit binds the broker's port itself; aim the proxy at it.
            String direct = cluster.bootstrapServers().split(",")[0];
            proxy.target(Integer.parseInt(direct.substring(direct.lastIndexOf(':') + 1)));
            proxy.resume();
            cluster.waitForReadyBrokers();
            return Map.of("kafka.bootstrap.servers", bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the Kafka test broker", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (Exception e) {
            // the JVM is ending anyway
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
