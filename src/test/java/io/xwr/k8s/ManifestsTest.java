package io.xwr.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.Validator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under k8s/ against the Kubernetes schema (fabric8's offline validator, strict about unknown
 * fields), and the Deployment against the application's own configuration: probe paths and ports, the HTTPS
 * port, secrets only by reference.
 */
class ManifestsTest {
    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Custom resources the bundled schema does not know; checked by hand below. */
    private static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "Kustomization");
    /** The validator types IntOrString as string: ints there are false alarms (stack notes). */
    private static final Set<String> INT_OR_STRING =
            Set.of("port", "targetPort", "maxSurge", "maxUnavailable", "minAvailable");

    private static List<Doc> docs;
    private static Properties app;

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }
    }

    @BeforeAll
    static void load() throws IOException {
        docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                        if (node != null && !node.isEmpty()) {
                            docs.add(new Doc(file, node));
                        }
                    }
                }
            }
        }
        app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
    }

    @Test
    void everyManifestIsValidKubernetes() {
        Validator validator = Validator.newInstance();
        List<String> errors = new ArrayList<>();
        for (Doc doc : docs) {
            if (CUSTOM_KINDS.contains(doc.kind()) || patches().contains(doc.file())) {
                continue;
            }
            for (ValidationMessage m : validator.validate(doc.node()).getMessages()) {
                if (m.getLevel() == ValidationMessage.Level.ERROR && !intOrStringFalseAlarm(m.getMessage())) {
                    errors.add(doc.file() + " " + doc.kind() + ": " + m.getMessage());
                }
            }
        }
        assertEquals(List.of(), errors);
        assertTrue(docs.stream()
                .map(Doc::kind)
                .toList()
                .containsAll(List.of(
                        "Deployment",
                        "Service",
                        "Ingress",
                        "ConfigMap",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy",
                        "ServiceMonitor")));
    }

    @Test
    void probesAndPortsMatchTheApplication() {
        JsonNode pod = only("Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        // the webhook on the HTTPS port; health and metrics on the management port, which no Ingress routes
        assertEquals(Integer.parseInt(app.getProperty("quarkus.http.ssl-port")), port(container, "https"));
        assertEquals(Integer.parseInt(app.getProperty("quarkus.management.port")), port(container, "management"));
        assertEquals("true", app.getProperty("quarkus.management.enabled"));
        assertEquals(2, container.path("ports").size(), "HTTPS and management, no plain HTTP");
        assertEquals("disabled", app.getProperty("quarkus.http.insecure-requests"));
        for (String[] probe : new String[][] {
            {"startupProbe", "/q/health/started"},
            {"livenessProbe", "/q/health/live"},
            {"readinessProbe", "/q/health/ready"}
        }) {
            JsonNode get = container.path(probe[0]).path("httpGet");
            assertEquals(probe[1], get.path("path").asText(), probe[0]);
            assertEquals("management", get.path("port").asText(), probe[0]);
            assertEquals("HTTP", get.path("scheme").asText(), probe[0]);
        }
        JsonNode monitor = only("ServiceMonitor").path("spec").path("endpoints").path(0);
        assertEquals("management", monitor.path("port").asText());
        assertEquals(
                app.getProperty("quarkus.micrometer.export.prometheus.path"),
                monitor.path("path").asText());
        List<String> servicePorts = new ArrayList<>();
        only("Service")
                .path("spec")
                .path("ports")
                .forEach(p -> servicePorts.add(p.path("targetPort").asText()));
        assertTrue(servicePorts.containsAll(List.of("https", "management")), "the Service exposes " + servicePorts);
    }

    @Test
    void terminationWaitsForGracefulShutdown() {
        JsonNode pod = only("Deployment").path("spec").path("template").path("spec");
        long shutdown = seconds(app.getProperty("quarkus.shutdown.delay"))
                + seconds(app.getProperty("quarkus.shutdown.timeout"));
        assertTrue(
                pod.path("terminationGracePeriodSeconds").asLong() > shutdown,
                "Kubernetes must not kill the pod before in-flight deliveries are drained (" + shutdown + " s)");
    }

    private static long seconds(String duration) {
        return Duration.parse("PT" + duration.toUpperCase()).toSeconds();
    }

    @Test
    void theAutoscalerAloneSetsTheReplicaCount() {
        for (Doc doc : docs) {
            if (doc.kind().equals("Deployment")) {
                assertFalse(doc.node().path("spec").has("replicas"), doc.file() + ": the HPA owns replicas");
            }
        }
        JsonNode hpa = only("HorizontalPodAutoscaler").path("spec");
        assertEquals("Deployment", hpa.path("scaleTargetRef").path("kind").asText());
        assertEquals(
                only("Deployment").path("metadata").path("name").asText(),
                hpa.path("scaleTargetRef").path("name").asText());
        assertTrue(hpa.path("minReplicas").asInt() >= 2, "a pod can always answer X's CRC during a roll-out");
    }

    /**
     * Every pod's pool at the HPA's maximum fits PostgreSQL's default {@code max_connections} (100, 3 of them
     * reserved for superusers), with room left for migrations and an operator's psql.
     */
    @Test
    void theConnectionPoolsAtMaxReplicasFitPostgres() {
        int pool = Integer.parseInt(only("ConfigMap")
                .path("data")
                .path("QUARKUS_DATASOURCE_JDBC_MAX_SIZE")
                .asText());
        for (Doc doc : docs) {
            if (doc.kind().equals("HorizontalPodAutoscaler")
                    && doc.node().path("spec").has("maxReplicas")) {
                int max = doc.node().path("spec").path("maxReplicas").asInt();
                assertTrue(max * pool <= 90, doc.file() + ": " + max + " replicas x " + pool + " connections");
            }
        }
    }

    /** The admin API is never reachable through the controller X reaches, nor from a whole private /8. */
    @Test
    void theAdminSurfaceIsNeverOnThePublicController() {
        String publicClass =
                publicIngress().path("spec").path("ingressClassName").asText();
        int adminRoutes = 0;
        for (Doc doc : docs) {
            if (!doc.kind().equals("Ingress")) {
                continue;
            }
            for (JsonNode rule : doc.node().path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    if (path.path("path").asText().startsWith("/admin")) {
                        adminRoutes++;
                        assertFalse(doc.file().startsWith(K8S.resolve("base")), doc.file() + ": not in the base");
                        assertFalse(
                                publicClass.equals(doc.node()
                                        .path("spec")
                                        .path("ingressClassName")
                                        .asText()),
                                doc.file() + ": admin on the public ingress class " + publicClass);
                    }
                }
            }
            if (doc.node().path("spec").path("ingressClassName").asText().equals(publicClass)) {
                for (JsonNode rule : doc.node().path("spec").path("rules")) {
                    for (JsonNode path : rule.path("http").path("paths")) {
                        assertEquals(
                                "/webhooks/x",
                                path.path("path").asText(),
                                doc.file().toString());
                        assertEquals(
                                "Exact",
                                path.path("pathType").asText(),
                                doc.file().toString());
                    }
                }
            }
        }
        assertEquals(1, adminRoutes, "the internal admin route exists as an overlay");
    }

    @Test
    void onlyTheMonitoringNamespaceReachesTheManagementPort() {
        int policies = 0;
        for (Doc doc : docs) {
            if (!doc.kind().equals("NetworkPolicy")) {
                continue;
            }
            policies++;
            boolean allowed = false;
            for (JsonNode rule : doc.node().path("spec").path("ingress")) {
                boolean management = false;
                for (JsonNode port : rule.path("ports")) {
                    management |= port.path("port").asText().equals("management")
                            || port.path("port").asText().equals(app.getProperty("quarkus.management.port"));
                }
                if (!management) {
                    continue;
                }
                allowed = true;
                assertEquals(1, rule.path("from").size(), doc.file() + ": " + rule);
                assertEquals(
                        "monitoring",
                        rule.path("from")
                                .path(0)
                                .path("namespaceSelector")
                                .path("matchLabels")
                                .path("kubernetes.io/metadata.name")
                                .asText(),
                        doc.file() + ": " + rule);
                assertFalse(rule.path("from").path(0).has("ipBlock"), doc.file().toString());
                assertFalse(
                        rule.path("from").path(0).has("podSelector"), doc.file().toString());
            }
            assertTrue(allowed, doc.file() + ": Prometheus can scrape");
        }
        assertTrue(policies >= 1);
    }

    @Test
    void runsHardenedWithSecretsOnlyByReference() {
        JsonNode deployment = only("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(
                container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertFalse(container
                .path("securityContext")
                .path("allowPrivilegeEscalation")
                .asBoolean(true));
        assertTrue(container.path("resources").path("limits").has("memory"));
        assertFalse(pod.path("topologySpreadConstraints").isEmpty());
        assertTrue(docs.stream().noneMatch(d -> d.kind().equals("Secret")), "no Secret values in the repository");
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (name.contains("SECRET") || name.contains("TOKEN") || name.contains("PASSWORD")) {
                assertTrue(env.path("valueFrom").has("secretKeyRef"), name + " comes from a Secret");
            }
        }
        for (JsonNode value : only("ConfigMap").path("data")) {
            assertFalse(value.asText().toLowerCase().contains("secret="), "no secret in the ConfigMap");
        }
    }

    @Test
    void theWebhookIngressServesXOverTlsWithoutRedirects() {
        JsonNode ingress = publicIngress();
        assertFalse(ingress.path("spec").path("tls").isEmpty());
        assertEquals(
                "/webhooks/x",
                ingress.path("spec")
                        .path("rules")
                        .path(0)
                        .path("http")
                        .path("paths")
                        .path(0)
                        .path("path")
                        .asText());
        assertEquals(
                "false",
                ingress.path("metadata")
                        .path("annotations")
                        .path("nginx.ingress.kubernetes.io/ssl-redirect")
                        .asText());
        // the proxy lets through every body the service accepts: the service decides, and answers 413 itself
        assertEquals(
                app.getProperty("xwr.ingress.max-body-size").toLowerCase(java.util.Locale.ROOT),
                ingress.path("metadata")
                        .path("annotations")
                        .path("nginx.ingress.kubernetes.io/proxy-body-size")
                        .asText()
                        .toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void kustomizationsListOnlyFilesThatExist() {
        for (Doc doc : docs) {
            if (doc.kind().equals("Kustomization")) {
                for (JsonNode resource : doc.node().path("resources")) {
                    assertTrue(
                            Files.exists(doc.file().getParent().resolve(resource.asText())),
                            doc.file() + ": " + resource);
                }
                for (JsonNode patch : doc.node().path("patches")) {
                    assertTrue(
                            Files.exists(doc.file()
                                    .getParent()
                                    .resolve(patch.path("path").asText())),
                            doc.file() + ": " + patch);
                }
            }
        }
    }

    /** Files the kustomizations apply as patches: partial objects, not validated as whole ones. */
    private static Set<Path> patches() {
        Set<Path> patches = new java.util.HashSet<>();
        for (Doc doc : docs) {
            if (doc.kind().equals("Kustomization")) {
                for (JsonNode patch : doc.node().path("patches")) {
                    patches.add(
                            doc.file().getParent().resolve(patch.path("path").asText()));
                }
            }
        }
        return patches;
    }

    /** Exactly the validator's IntOrString mistake: an integer where its schema says string, on those fields. */
    private static boolean intOrStringFalseAlarm(String message) {
        return message.matches(
                "\\[Path '.*/(" + String.join("|", INT_OR_STRING)
                        + ")'] Instance type \\(integer\\) does not match any allowed primitive type \\(allowed: \\[\"string\"]\\)");
    }

    /** The Ingress X reaches: the webhook's, on the public controller. */
    private static JsonNode publicIngress() {
        return docs.stream()
                .filter(d -> d.kind().equals("Ingress")
                        && d.node().path("metadata").path("name").asText().equals("x-webhook-receiver"))
                .findFirst()
                .orElseThrow()
                .node();
    }

    private static JsonNode only(String kind) {
        List<Doc> found = docs.stream()
                .filter(d -> d.kind().equals(kind) && d.file().startsWith(K8S.resolve("base")))
                .toList();
        assertEquals(1, found.size(), kind);
        return found.getFirst().node();
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port " + name);
    }
}
