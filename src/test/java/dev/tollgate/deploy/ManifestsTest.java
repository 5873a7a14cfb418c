package dev.tollgate.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.EffectProbe;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Kubernetes manifests against the service they deploy: each overlay renders (every file and patch
 * target exists; with kubectl installed, {@code kubectl kustomize} agrees), the plain overlays use built-in kinds
 * only while the monitoring component brings the Prometheus Operator's objects, the overlays deploy the image the
 * documented build commands build, probes answer, ports and environment variable names are ones the service uses,
 * the CloudNativePG example wires the operator's Secret, shutdown fits the grace period, health and metrics are
 * reached on the management port only (probes, ServiceMonitor, NetworkPolicy), and every metric the alerts and
 * the dashboard query is exported at /q/metrics.
 */
@QuarkusTest
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path MONITORING = K8S.resolve("components/monitoring");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path README = Path.of("README.md");
    private static final Pattern DOCKER_BUILD = Pattern
            .compile("docker build -f src/main/docker/Dockerfile\\.([a-z-]+) -t (\\S+) \\.");
    private static final Pattern KIND_LOAD = Pattern.compile("kind load docker-image (\\S+)");
    /** What a cluster without extra custom resource definitions knows. */
    private static final Set<String> BUILT_IN_API_VERSIONS = Set.of("v1", "apps/v1", "autoscaling/v2", "policy/v1",
            "networking.k8s.io/v1");

    /** The keys of the Secret CloudNativePG generates for a Cluster's application user (docs: applications). */
    private static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "password", "host", "port", "dbname",
            "uri", "jdbc-uri", "pgpass");

    /** Series Prometheus itself makes for every target, not exported by the service. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    // Metric names in PromQL: our prefixes and the Micrometer binders' (jvm, http, process, system).
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:tollgate|jvm|http_server|process|system)_[a-z0-9_]+|up)\\b(?=\\s*[{\\[)]|\\s*(?:==|>|<|$))");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    @Inject
    Db db;

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native", "jvm-monitoring" })
    void overlayRendersAndKubectlAgrees(String overlay) {
        List<ObjectNode> rendered = Kustomization.render(K8S.resolve("overlays").resolve(overlay));
        Set<String> kinds = names(rendered);
        assertTrue(kinds.containsAll(Set.of("Deployment/tollgate", "Service/tollgate", "ConfigMap/tollgate-config",
                "HorizontalPodAutoscaler/tollgate", "PodDisruptionBudget/tollgate", "NetworkPolicy/tollgate")),
                kinds.toString());
        Set<String> monitoring = Set.of("ServiceMonitor/tollgate", "PrometheusRule/tollgate",
                "ConfigMap/tollgate-grafana-dashboard");
        if (overlay.endsWith("-monitoring")) {
            assertTrue(kinds.containsAll(monitoring), "the monitoring component is included: " + kinds);
        } else {
            // A plain cluster has no Prometheus Operator: only built-in kinds, so `kubectl apply -k` works there.
            Set<String> custom = rendered.stream().map(d -> d.path("apiVersion").asText())
                    .filter(v -> !BUILT_IN_API_VERSIONS.contains(v)).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(custom.isEmpty(), overlay + " needs custom resource definitions: " + custom);
            assertTrue(kinds.stream().noneMatch(monitoring::contains), kinds.toString());
        }
        Kustomization.kubectl(K8S.resolve("overlays").resolve(overlay)).ifPresent(real -> {
            assertEquals(kinds, names(real));
            assertEquals(memory(find(rendered, "Deployment")), memory(find(real, "Deployment")),
                    "patched memory as kubectl renders it");
            assertEquals(container(find(rendered, "Deployment")).path("image"),
                    container(find(real, "Deployment")).path("image"));
        });
    }

    /**
     * One image name everywhere: every {@code docker build -t} of the JVM or native Dockerfile in README,
     * docs/ and the Dockerfiles' own usage comments, and every image README loads into kind, is the image the
     * overlay of that variant deploys.
     */
    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native" })
    void theOverlayDeploysTheImageTheDocumentedBuildCommandsBuild(String variant) throws IOException {
        String image = container(find(Kustomization.render(K8S.resolve("overlays").resolve(variant)), "Deployment"))
                .path("image").asText();
        List<Path> documents = new ArrayList<>(List.of(README,
                Path.of("src/main/docker/Dockerfile." + variant)));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        Map<String, String> built = new TreeMap<>();
        for (Path document : documents) {
            Matcher m = DOCKER_BUILD.matcher(Files.readString(document));
            while (m.find()) {
                if (m.group(1).equals(variant)) {
                    built.put(document + ": " + m.group(), m.group(2));
                }
            }
        }
        assertFalse(built.isEmpty(), "no documented build of Dockerfile." + variant);
        if (variant.equals("jvm")) {
            assertTrue(built.keySet().stream().anyMatch(k -> k.startsWith(README + ":")),
                    "README's walkthrough builds the jvm image: " + built.keySet());
        }
        built.forEach((command, tag) -> assertEquals(image, tag, command + " builds another image than overlays/"
                + variant + " deploys"));
        Matcher kind = KIND_LOAD.matcher(Files.readString(README));
        while (kind.find()) {
            if (kind.group(1).endsWith(":" + variant)) {
                assertEquals(image, kind.group(1), "README loads into kind: " + kind.group());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native", "jvm-monitoring" })
    void probesAndPortsMatchTheService(String overlay) throws IOException {
        List<ObjectNode> rendered = Kustomization.render(K8S.resolve("overlays").resolve(overlay));
        JsonNode container = container(find(rendered, "Deployment"));
        JsonNode http = containerPort(container, "http");
        JsonNode management = containerPort(container, "management");
        assertEquals(productionPort(container, "quarkus.http.port"), http.path("containerPort").asInt(),
                "the http containerPort is the port Quarkus listens on");
        assertEquals(productionPort(container, "quarkus.management.port"), management.path("containerPort").asInt(),
                "the management containerPort is the port the management interface listens on");

        // Probes go to the management port, and answer there (not on the public port).
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals("management", get.path("port").asText(), probe + " uses the management port");
            Management.given().get(get.path("path").asText()).then().statusCode(200);
            given().get(get.path("path").asText()).then().statusCode(404);
        }
        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());

        // The Service exposes both; Prometheus scrapes the management one.
        JsonNode servicePorts = find(rendered, "Service").path("spec").path("ports");
        assertEquals("http", servicePort(servicePorts, "http").path("targetPort").asText());
        assertEquals("management", servicePort(servicePorts, "management").path("targetPort").asText());
        for (ObjectNode serviceMonitor : all(rendered, "ServiceMonitor")) {
            JsonNode monitor = serviceMonitor.path("spec").path("endpoints").get(0);
            assertEquals("management", monitor.path("port").asText());
            Management.given().get(monitor.path("path").asText()).then().statusCode(200);
            given().get(monitor.path("path").asText()).then().statusCode(404);
        }

        // The NetworkPolicy: the public port from anywhere, the management port from the monitoring namespace only.
        JsonNode ingress = find(rendered, "NetworkPolicy").path("spec").path("ingress");
        assertEquals(2, ingress.size(), ingress.toString());
        for (JsonNode rule : ingress) {
            int port = rule.path("ports").get(0).path("port").asInt();
            assertEquals(1, rule.path("ports").size(), rule.toString());
            if (port == http.path("containerPort").asInt()) {
                assertTrue(rule.path("from").isMissingNode(), "the public port is open to all: " + rule);
            } else {
                assertEquals(management.path("containerPort").asInt(), port, rule.toString());
                JsonNode from = rule.path("from");
                assertEquals(1, from.size(), rule.toString());
                assertEquals("monitoring", from.get(0).path("namespaceSelector").path("matchLabels")
                        .path("kubernetes.io/metadata.name").asText(), "management only from monitoring: " + rule);
            }
        }
    }

    private static JsonNode containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port;
            }
        }
        throw new AssertionError("no container port named " + name + ": " + container.path("ports"));
    }

    private static JsonNode servicePort(JsonNode ports, String name) {
        for (JsonNode port : ports) {
            if (port.path("name").asText().equals(name)) {
                return port;
            }
        }
        throw new AssertionError("no Service port named " + name + ": " + ports);
    }

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native" })
    void podIsHardenedAndShutsDownWithinItsGracePeriod(String overlay) throws IOException {
        JsonNode pod = find(Kustomization.render(K8S.resolve("overlays").resolve(overlay)), "Deployment")
                .path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertEquals("/tmp", container.path("volumeMounts").get(0).path("mountPath").asText());
        assertTrue(pod.path("volumes").get(0).has("emptyDir"));

        JsonNode preStop = container.path("lifecycle").path("preStop").path("exec").path("command");
        assertEquals("sleep", preStop.get(0).asText());
        long shutdown = Duration.parse("PT" + productionProperty("quarkus.shutdown.timeout").toUpperCase())
                .toSeconds();
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > preStop.get(1).asLong() + shutdown,
                "the grace period covers the preStop sleep plus quarkus.shutdown.timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native", "jvm-cloudnative-pg" })
    void environmentNamesAreOnesTheServiceReads(String overlay) throws IOException {
        List<ObjectNode> rendered = Kustomization.render(K8S.resolve("overlays").resolve(overlay));
        Map<String, String> used = new TreeMap<>();
        JsonNode container = container(find(rendered, "Deployment"));
        container.path("env").forEach(e -> used.put(e.path("name").asText(), "Deployment env"));
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                String name = source.path("configMapRef").path("name").asText();
                JsonNode configMap = rendered.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.path("metadata").path("name").asText().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError("envFrom ConfigMap " + name + " is not rendered"));
                configMap.path("data").fieldNames().forEachRemaining(k -> used.put(k, "ConfigMap " + name));
            }
        }
        JsonNode secret = Kustomization.read(K8S.resolve("base/secret.example.yaml")).get(0);
        String secretName = secret.path("metadata").path("name").asText();
        assertTrue(container.path("envFrom").findValuesAsText("name").contains(secretName),
                "the Deployment loads the Secret the template describes");
        secret.path("stringData").fieldNames().forEachRemaining(k -> used.put(k, "Secret " + secretName));

        Set<String> known = variablesTheServiceReads();
        Map<String, String> unknown = used.entrySet().stream().filter(e -> !known.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertTrue(unknown.isEmpty(), "set in the manifests but read nowhere: " + unknown);
    }

    /**
     * The CloudNativePG example: a Cluster, and the Deployment's database settings from what the operator
     * creates for it (the Service {@code <cluster>-rw}, the database bootstrap.initdb names, the Secret
     * {@code <cluster>-app} with its documented keys).
     */
    @org.junit.jupiter.api.Test
    void cloudNativePgOverlayWiresTheOperatorsSecretToTheDatabaseSettings() {
        Path overlay = K8S.resolve("overlays/jvm-cloudnative-pg");
        List<ObjectNode> rendered = Kustomization.render(overlay);
        JsonNode cluster = find(rendered, "Cluster");
        assertEquals("postgresql.cnpg.io/v1", cluster.path("apiVersion").asText());
        String name = cluster.path("metadata").path("name").asText();
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");

        Map<String, JsonNode> env = new TreeMap<>();
        for (JsonNode e : container(find(rendered, "Deployment")).path("env")) {
            assertTrue(env.put(e.path("name").asText(), e) == null, "env " + e.path("name") + " is set twice");
        }
        assertEquals("postgresql://" + name + "-rw:5432/" + initdb.path("database").asText(),
                env.get("DB_URL").path("value").asText(), "DB_URL: the primary's Service and the bootstrapped database");
        for (Map.Entry<String, String> wired : Map.of("DB_USER", "username", "DB_PASSWORD", "password").entrySet()) {
            JsonNode reference = env.get(wired.getKey()).path("valueFrom").path("secretKeyRef");
            assertEquals(name + "-app", reference.path("name").asText(), wired.getKey() + " from the app Secret");
            assertEquals(wired.getValue(), reference.path("key").asText(), wired.getKey());
            assertTrue(CNPG_APP_SECRET_KEYS.contains(reference.path("key").asText()));
        }
        assertTrue(names(rendered).containsAll(names(Kustomization.render(K8S.resolve("overlays/jvm")))),
                "everything the jvm overlay deploys");
        Kustomization.kubectl(overlay).ifPresent(real -> {
            assertEquals(names(rendered), names(real));
            assertEquals(container(find(rendered, "Deployment")).path("env"),
                    container(find(real, "Deployment")).path("env"), "the env patch as kubectl renders it");
        });
    }

    @org.junit.jupiter.api.Test
    void everyMetricInTheAlertsAndTheDashboardIsExported() throws IOException {
        exerciseTheMeteredPaths();
        Set<String> exported = exportedMetricNames();

        Map<String, Set<String>> queried = new TreeMap<>();
        JsonNode rule = Kustomization.read(MONITORING.resolve("prometheusrule.yaml")).get(0);
        for (JsonNode alert : rule.path("spec").path("groups").findValues("rules")) {
            for (JsonNode r : alert) {
                collect(r.path("expr").asText(), "alert " + r.path("alert").asText(), queried);
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana/tollgate-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                collect(target.path("expr").asText(), "panel " + panel.path("title").asText(), queried);
            }
        }
        assertTrue(queried.keySet().containsAll(Set.of("tollgate_webhook_events_rejected_total",
                "tollgate_webhook_inbox_failed", "tollgate_stripe_requests_total")), queried.keySet().toString());

        Map<String, Set<String>> missing = new TreeMap<>(queried);
        missing.keySet().removeAll(exported);
        missing.keySet().removeAll(PROMETHEUS_OWN);
        if (!missing.isEmpty()) {
            fail("queried but not exported at /q/metrics: " + missing);
        }
    }

    /** Makes the counters that only appear on first use appear: deliveries, a reject, a failure, Stripe calls. */
    private void exerciseTheMeteredPaths() {
        ObjectNode customer = StripeObjects.customer(StripeEvents.newId("cus"), "acct-manifests");
        ((ObjectNode) customer.path("metadata")).put(EffectProbe.FAIL_MARK, "until_fixed");
        ObjectNode failing = StripeEvents.event("customer.created", customer, System.currentTimeMillis() / 1000);
        ObjectNode calculation = StripeObjects.customer(StripeEvents.newId("cus"), "acct-manifests")
                .put("object", "tax.calculation");
        ObjectNode ignored = StripeEvents.event("tax.calculation.created", calculation,
                System.currentTimeMillis() / 1000);
        ignored.put("api_version", "2023-10-16");
        EffectProbe.breakIt();
        try {
            Webhooks.deliver(failing).then().statusCode(200);
            Webhooks.deliver(failing).then().statusCode(200); // a duplicate
            Webhooks.deliver(ignored).then().statusCode(200);
            Webhooks.deliverRaw(ignored.toString(), "t=1,v1=00").then().statusCode(400);
            assertEquals("failed", Inbox.awaitProcessed(db, failing.path("id").asText()));
            assertEquals("ignored", Inbox.awaitProcessed(db, ignored.path("id").asText()));
        } finally {
            EffectProbe.fix();
        }
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/events/" + failing.path("id").asText() + "/replay")
                .then().statusCode(200);
        assertEquals("applied", Inbox.awaitProcessed(db, failing.path("id").asText()));
        // A Stripe call the stub does not know: answered 404 by WireMock, counted as invalid_request.
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).contentType("application/json")
                .body("{}").post("/v1/billing/portal-sessions");
    }

    private static Set<String> exportedMetricNames() {
        String body = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> names = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static void collect(String expr, String where, Map<String, Set<String>> into) {
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            into.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(where);
        }
    }

    /**
     * Environment variables the service reads: those application.properties references as ${VAR}, and
     * the environment form (MicroProfile Config's rule: upper case, non-alphanumerics to _) of every
     * property the application or an extension configures.
     */
    private static Set<String> variablesTheServiceReads() throws IOException {
        Set<String> known = new HashSet<>();
        Matcher m = ENV_REFERENCE.matcher(Files.readString(PROPERTIES));
        while (m.find()) {
            known.add(m.group(1));
        }
        for (ConfigSource source : ConfigProvider.getConfig().getConfigSources()) {
            String name = source.getName();
            if (name.startsWith("EnvConfigSource") || name.startsWith("SysPropConfigSource")) {
                continue; // the process's own environment proves nothing
            }
            for (String property : source.getPropertyNames()) {
                known.add(property.replaceFirst("^%[^.]+\\.", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
            }
        }
        return known;
    }

    /** The port production listens on for {@code key}: its value, resolving ${VAR:default} against the container's env. */
    private static int productionPort(JsonNode container, String key) throws IOException {
        String value = productionProperty(key);
        Matcher reference = ENV_REFERENCE.matcher(value);
        if (!reference.matches()) {
            return Integer.parseInt(value);
        }
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(reference.group(1))) {
                return env.path("value").asInt();
            }
        }
        return Integer.parseInt(value.substring(value.indexOf(':') + 1, value.length() - 1));
    }

    /** A property as production sees it: the %prod value, else the unprofiled one. */
    private static String productionProperty(String key) throws IOException {
        String plain = null;
        for (String line : Files.readAllLines(PROPERTIES)) {
            if (line.startsWith("%prod." + key + "=")) {
                return line.substring(line.indexOf('=') + 1).trim();
            }
            if (line.startsWith(key + "=")) {
                plain = line.substring(line.indexOf('=') + 1).trim();
            }
        }
        if (plain == null) {
            fail(key + " is not set in " + PROPERTIES);
        }
        return plain;
    }

    private static Set<String> names(List<ObjectNode> documents) {
        return documents.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<ObjectNode> all(List<ObjectNode> documents, String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode find(List<ObjectNode> documents, String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode memory(JsonNode deployment) {
        return container(deployment).path("resources");
    }
}
