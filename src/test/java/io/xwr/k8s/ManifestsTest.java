package io.xwr.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.Validator;
import io.xwr.k8s.Kustomize.Resource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl apply -k} would send for the base and every overlay (rendered by {@link Kustomize}), checked
 * against the Kubernetes and Prometheus Operator schemas (fabric8's offline validator, strict about unknown
 * fields) and the Gateway API's models, and against the application's own configuration: probe paths and ports,
 * the HTTPS port, secrets only by reference, routes to the webhook path only.
 */
class ManifestsTest {
    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The validator types IntOrString as string: ints there are false alarms (stack notes). */
    private static final Set<String> INT_OR_STRING =
            Set.of("port", "targetPort", "maxSurge", "maxUnavailable", "minAvailable");
    /** Gateway API kinds: not in the validator's schema, read into fabric8's Gateway API model instead. */
    private static final Map<String, Class<?>> GATEWAY_KINDS = Map.of(
            "HTTPRoute", io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class,
            "BackendTLSPolicy", io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy.class);

    private static final List<String> RECOMMENDED_LABELS = List.of(
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/version",
            "app.kubernetes.io/component",
            "app.kubernetes.io/part-of",
            "app.kubernetes.io/managed-by");

    /** Every entry point a user applies, rendered: the base and each overlay. */
    private static Map<Path, List<Resource>> builds;

    private static Properties app;

    @BeforeAll
    static void load() throws IOException {
        builds = new java.util.TreeMap<>();
        builds.put(K8S.resolve("base"), Kustomize.build(K8S.resolve("base")));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            for (Path overlay : overlays.sorted().toList()) {
                builds.put(overlay, Kustomize.build(overlay));
            }
        }
        app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
    }

    @Test
    void everyRenderedObjectIsValid() throws IOException {
        Validator validator = Validator.newInstance();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<Path, List<Resource>> build : builds.entrySet()) {
            for (Resource r : build.getValue()) {
                String where = build.getKey() + " " + r.kind() + " " + r.name() + ": ";
                Class<?> model = GATEWAY_KINDS.get(r.kind());
                if (model != null) {
                    unknownFields(JSON.treeToValue(r.node(), model), "", errors, where);
                    continue;
                }
                for (ValidationMessage m : validator.validate(r.node()).getMessages()) {
                    if (m.getLevel() == ValidationMessage.Level.ERROR && !intOrStringFalseAlarm(m.getMessage())) {
                        errors.add(where + m.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), errors);
        assertEquals(
                Set.of(
                        "ConfigMap",
                        "Deployment",
                        "Service",
                        "HTTPRoute",
                        "BackendTLSPolicy",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy"),
                kinds("base"));
        assertTrue(kinds("overlays/production").containsAll(Set.of("ServiceMonitor", "PrometheusRule")));
        Set<String> ingress = kinds("overlays/ingress");
        assertTrue(ingress.contains("Ingress"));
        assertFalse(ingress.contains("HTTPRoute") || ingress.contains("BackendTLSPolicy"), ingress.toString());
    }

    /** The validator's own test of strictness: an unknown field is an error, so the check above can fail. */
    @Test
    void theChecksRefuseUnknownFields() throws IOException {
        ObjectNode service = only("Service").deepCopy();
        ((ObjectNode) service.path("spec")).put("typo", 1);
        assertFalse(Validator.newInstance().validate(service).getMessages().isEmpty());
        ObjectNode route = only("HTTPRoute").deepCopy();
        ((ObjectNode) route.path("spec").path("rules").path(0)).put("matchs", "x");
        List<String> errors = new ArrayList<>();
        unknownFields(JSON.treeToValue(route, GATEWAY_KINDS.get("HTTPRoute")), "", errors, "");
        assertEquals(List.of(".spec.rules[0].matchs"), errors);
    }

    @Test
    void everyObjectAndPodCarriesTheRecommendedLabels() {
        for (Map.Entry<Path, List<Resource>> build : builds.entrySet()) {
            String tag = tagOf(build.getValue());
            for (Resource r : build.getValue()) {
                List<JsonNode> labelled = new ArrayList<>(List.of(r.labels()));
                if (r.node().path("spec").has("template")) {
                    labelled.add(r.node()
                            .path("spec")
                            .path("template")
                            .path("metadata")
                            .path("labels"));
                }
                for (JsonNode labels : labelled) {
                    for (String label : RECOMMENDED_LABELS) {
                        assertTrue(labels.has(label), build.getKey() + " " + r.kind() + ": " + label);
                    }
                    assertEquals(
                            tag, labels.path("app.kubernetes.io/version").asText(), build.getKey() + " " + r.kind());
                    assertEquals(
                            "x-webhook-receiver",
                            labels.path("app.kubernetes.io/name").asText());
                }
                // selectors keep the one label that never changes, so a new version rolls out in place
                JsonNode selector = r.node().path("spec").path("selector");
                JsonNode match = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
                if (r.kind().equals("Deployment") || r.kind().equals("Service")) {
                    assertEquals(1, match.size(), build.getKey() + " " + r.kind() + " selector " + match);
                }
            }
        }
    }

    private static String tagOf(List<Resource> build) {
        String image = build.stream()
                .filter(r -> r.kind().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .node()
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .path(0)
                .path("image")
                .asText();
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** Fields fabric8's model did not know: it keeps them aside instead of failing. */
    private static void unknownFields(Object model, String path, List<String> errors, String where) {
        if (model == null || !model.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        for (java.lang.reflect.Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(model);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String field = Character.toLowerCase(getter.getName().charAt(3))
                    + getter.getName().substring(4);
            if (getter.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> errors.add(where + path + "." + k));
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    unknownFields(list.get(i), path + "." + field + "[" + i + "]", errors, where);
                }
            } else {
                unknownFields(value, path + "." + field, errors, where);
            }
        }
    }

    private static Set<String> kinds(String entry) {
        return builds.get(K8S.resolve(entry)).stream().map(Resource::kind).collect(Collectors.toSet());
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
        JsonNode monitor = only("overlays/production", "ServiceMonitor")
                .path("spec")
                .path("endpoints")
                .path(0);
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
        for (Resource r : all("Deployment")) {
            assertFalse(r.node().path("spec").has("replicas"), r.file() + ": the HPA owns replicas");
        }
        JsonNode hpa = only("HorizontalPodAutoscaler").path("spec");
        assertEquals("Deployment", hpa.path("scaleTargetRef").path("kind").asText());
        assertEquals(
                only("Deployment").path("metadata").path("name").asText(),
                hpa.path("scaleTargetRef").path("name").asText());
        for (Resource r : all("HorizontalPodAutoscaler")) {
            assertTrue(
                    r.node().path("spec").path("minReplicas").asInt() >= 2,
                    "a pod can always answer X's CRC during a roll-out");
        }
    }

    /**
     * Every pod's pool at the HPA's maximum fits PostgreSQL's default {@code max_connections} (100, 3 of them
     * reserved for superusers), with room left for migrations and an operator's psql.
     */
    @Test
    void theConnectionPoolsAtMaxReplicasFitPostgres() {
        for (Map.Entry<Path, List<Resource>> build : builds.entrySet()) {
            int pool = Integer.parseInt(one(build.getValue(), "ConfigMap")
                    .path("data")
                    .path("QUARKUS_DATASOURCE_JDBC_MAX_SIZE")
                    .asText());
            int max = one(build.getValue(), "HorizontalPodAutoscaler")
                    .path("spec")
                    .path("maxReplicas")
                    .asInt();
            assertTrue(max * pool <= 90, build.getKey() + ": " + max + " replicas x " + pool + " connections");
        }
    }

    /**
     * X reaches exactly one route, to the webhook's exact path; the admin API is never on the public Gateway (or
     * controller), only in an overlay.
     */
    @Test
    void thePublicRouteCarriesOnlyTheWebhook() {
        int adminRoutes = 0;
        for (Map.Entry<Path, List<Resource>> build : builds.entrySet()) {
            Resource publicRoute = build.getValue().stream()
                    .filter(r -> (r.kind().equals("HTTPRoute") || r.kind().equals("Ingress"))
                            && r.name().equals("x-webhook-receiver"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(build.getKey() + ": no public route"));
            assertEquals(
                    List.of("Exact /webhooks/x"),
                    paths(publicRoute),
                    build.getKey().toString());
            for (Resource r : build.getValue()) {
                if (r == publicRoute
                        || !(r.kind().equals("HTTPRoute") || r.kind().equals("Ingress"))) {
                    continue;
                }
                assertFalse(build.getKey().equals(K8S.resolve("base")), r.name() + ": only the webhook in the base");
                assertFalse(
                        parents(r).stream().anyMatch(parents(publicRoute)::contains),
                        build.getKey() + " " + r.name() + ": on the public " + parents(publicRoute));
                if (paths(r).stream().anyMatch(p -> p.contains("/admin"))) {
                    adminRoutes++;
                }
            }
        }
        assertEquals(1, adminRoutes, "the internal admin route exists as an overlay");
    }

    /** "Exact /webhooks/x" for each path an HTTPRoute or Ingress routes. */
    private static List<String> paths(Resource route) {
        List<String> paths = new ArrayList<>();
        for (JsonNode rule : route.node().path("spec").path("rules")) {
            for (JsonNode match : rule.path("matches")) {
                paths.add(match.path("path").path("type").asText() + " "
                        + match.path("path").path("value").asText());
            }
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.add(
                        path.path("pathType").asText() + " " + path.path("path").asText());
            }
        }
        return paths;
    }

    /** The Gateways (namespace/name) or the ingress class a route is attached to. */
    private static List<String> parents(Resource route) {
        List<String> parents = new ArrayList<>();
        for (JsonNode parent : route.node().path("spec").path("parentRefs")) {
            parents.add(parent.path("namespace").asText() + "/"
                    + parent.path("name").asText());
        }
        if (route.node().path("spec").has("ingressClassName")) {
            parents.add(route.node().path("spec").path("ingressClassName").asText());
        }
        return parents;
    }

    /** The Gateway speaks TLS to the pod, on the Service port the route names, and never waits past X's 10 s. */
    @Test
    void theGatewayRoutesToThePodsHttpsPortOverTls() {
        JsonNode route = only("HTTPRoute").path("spec").path("rules").path(0);
        JsonNode backend = route.path("backendRefs").path(0);
        JsonNode servicePort = null;
        for (JsonNode p : only("Service").path("spec").path("ports")) {
            if (p.path("port").asInt() == backend.path("port").asInt()) {
                servicePort = p;
            }
        }
        assertTrue(servicePort != null, "the route's port is the Service's");
        assertEquals("https", servicePort.path("name").asText());
        assertEquals(
                only("Service").path("metadata").path("name").asText(),
                backend.path("name").asText());
        JsonNode target =
                only("BackendTLSPolicy").path("spec").path("targetRefs").path(0);
        assertEquals("Service", target.path("kind").asText());
        assertEquals(backend.path("name").asText(), target.path("name").asText());
        assertEquals("https", target.path("sectionName").asText());
        JsonNode validation = only("BackendTLSPolicy").path("spec").path("validation");
        assertFalse(validation.path("hostname").asText().isEmpty());
        assertFalse(validation.path("caCertificateRefs").isEmpty(), "the pod's certificate is verified");
        assertTrue(seconds(route.path("timeouts").path("request").asText()) <= 10);
        assertTrue(route.path("filters").isEmpty(), "no redirect or rewrite in front of X's calls");
    }

    @Test
    void onlyTheMonitoringNamespaceReachesTheManagementPort() {
        for (Resource r : all("NetworkPolicy")) {
            boolean allowed = false;
            for (JsonNode rule : r.node().path("spec").path("ingress")) {
                boolean management = false;
                for (JsonNode port : rule.path("ports")) {
                    management |= port.path("port").asText().equals("management")
                            || port.path("port").asText().equals(app.getProperty("quarkus.management.port"));
                }
                if (!management) {
                    continue;
                }
                allowed = true;
                assertEquals(1, rule.path("from").size(), r.file() + ": " + rule);
                assertEquals(
                        "monitoring",
                        rule.path("from")
                                .path(0)
                                .path("namespaceSelector")
                                .path("matchLabels")
                                .path("kubernetes.io/metadata.name")
                                .asText(),
                        r.file() + ": " + rule);
                assertFalse(rule.path("from").path(0).has("ipBlock"), r.file().toString());
                assertFalse(
                        rule.path("from").path(0).has("podSelector"), r.file().toString());
            }
            assertTrue(allowed, r.file() + ": Prometheus can scrape");
        }
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
        assertTrue(all("Secret").isEmpty(), "no Secret values in the repository");
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (name.contains("SECRET") || name.contains("TOKEN") || name.contains("PASSWORD")) {
                assertTrue(env.path("valueFrom").has("secretKeyRef"), name + " comes from a Secret");
            }
        }
        for (Resource r : all("ConfigMap")) {
            for (JsonNode value : r.node().path("data")) {
                assertFalse(value.asText().toLowerCase().contains("secret="), "no secret in the ConfigMap");
            }
        }
    }

    @Test
    void theIngressVariantServesXOverTlsWithoutRedirects() {
        JsonNode ingress = only("overlays/ingress", "Ingress");
        assertFalse(ingress.path("spec").path("tls").isEmpty());
        JsonNode annotations = ingress.path("metadata").path("annotations");
        assertEquals(
                "HTTPS",
                annotations.path("nginx.ingress.kubernetes.io/backend-protocol").asText());
        assertEquals(
                "false",
                annotations.path("nginx.ingress.kubernetes.io/ssl-redirect").asText());
        // the proxy lets through every body the service accepts: the service decides, and answers 413 itself
        assertEquals(
                app.getProperty("xwr.ingress.max-body-size").toLowerCase(java.util.Locale.ROOT),
                annotations
                        .path("nginx.ingress.kubernetes.io/proxy-body-size")
                        .asText()
                        .toLowerCase(java.util.Locale.ROOT));
        // its controller's namespace, not the Gateway's, reaches the pod
        assertTrue(only("overlays/ingress", "NetworkPolicy").toString().contains("ingress-nginx"));
        assertFalse(only("overlays/ingress", "NetworkPolicy").toString().contains("gateway-system"));
    }

    /** Each alert is complete, and can fire only on metrics the service exports (AlertRulesTest scrapes them). */
    @Test
    void everyAlertIsCompleteAndNamesASeverity() {
        JsonNode rule = only("overlays/production", "PrometheusRule");
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                assertTrue(names.add(name), "one alert per name: " + name);
                assertTrue(alert.path("expr").asText().contains("xwr_"), name);
                assertTrue(
                        Set.of("warning", "critical")
                                .contains(alert.path("labels").path("severity").asText()),
                        name);
                assertFalse(alert.path("annotations").path("summary").asText().isEmpty(), name);
                if (alert.has("for")) {
                    seconds(alert.path("for").asText());
                }
            }
        }
        assertTrue(names.size() >= 9, names.toString());
    }

    /** Exactly the validator's IntOrString mistake: an integer where its schema says string, on those fields. */
    private static boolean intOrStringFalseAlarm(String message) {
        return message.matches(
                "\\[Path '.*/(" + String.join("|", INT_OR_STRING)
                        + ")'] Instance type \\(integer\\) does not match any allowed primitive type \\(allowed: \\[\"string\"]\\)");
    }

    /** Every object of this kind, in every rendered entry point. */
    private static List<Resource> all(String kind) {
        return builds.values().stream()
                .flatMap(List::stream)
                .filter(r -> r.kind().equals(kind))
                .toList();
    }

    /** The one object of this kind in the base. */
    private static ObjectNode only(String kind) {
        return only("base", kind);
    }

    private static ObjectNode only(String entry, String kind) {
        return one(builds.get(K8S.resolve(entry)), kind);
    }

    private static ObjectNode one(List<Resource> build, String kind) {
        List<Resource> found = build.stream().filter(r -> r.kind().equals(kind)).toList();
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
