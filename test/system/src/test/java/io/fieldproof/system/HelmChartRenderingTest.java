package io.fieldproof.system;

import static io.fieldproof.system.FieldproofChart.FULLNAME;
import static io.fieldproof.system.RenderedChart.named;
import static io.fieldproof.system.RenderedChart.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the chart renders for each way of installing it: the hardened operator pod, leader election,
 * the two RBAC scopes, broker credentials and TLS, the embedded broker, the ServiceMonitor and the
 * Grafana dashboards.
 */
class HelmChartRenderingTest {

  private FieldproofChart chart;

  /** Per test, so that each one reports the skip (or, in CI, the failure) when helm is missing. */
  @BeforeEach
  void chart() {
    chart = FieldproofChart.project();
  }

  static Stream<ChartCase> cases() {
    return ChartCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void runsAHardenedPod(ChartCase chartCase) {
    JsonNode pod = chart.render(chartCase).operatorPod();
    JsonNode container = pod.at("/containers/0");
    JsonNode security = container.path("securityContext");

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(named(container.path("volumeMounts"), "tmp").path("mountPath").asText())
        .isEqualTo("/tmp");
    assertThat(named(pod.path("volumes"), "tmp").has("emptyDir")).isTrue();
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
    assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/fieldproof/operator:0.1.0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachReplicaHasItsOwnMqttClientIdAndCompetesForTheLease(ChartCase chartCase) {
    RenderedChart rendered = chart.render(chartCase);
    Map<String, JsonNode> env = rendered.operatorEnv();

    assertThat(value(env, "FIELDPROOF_MQTT_CLIENT_ID")).endsWith("-$(POD_NAME)");
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.name");
    assertThat(value(env, "FIELDPROOF_LEADER_ELECTION_ENABLED")).isEqualTo("true");
    assertThat(value(env, "FIELDPROOF_LEADER_ELECTION_LEASE_NAME")).isEqualTo(FULLNAME);
    assertThat(value(env, "FIELDPROOF_LEADER_ELECTION_LEASE_NAMESPACE"))
        .isEqualTo(chartCase.namespace());
    JsonNode leaseRole = rendered.get("Role", FULLNAME + "-leader-election");
    assertThat(leaseRole.at("/metadata/namespace").asText()).isEqualTo(chartCase.namespace());
    assertThat(leaseRole.path("rules"))
        .anySatisfy(
            rule -> {
              assertThat(texts(rule.path("resourceNames"))).containsExactly(FULLNAME);
              assertThat(texts(rule.path("verbs")))
                  .containsExactlyInAnyOrder("get", "update", "patch");
            });
  }

  @Test
  void clusterWideModeBindsAClusterRoleAndWatchesEveryNamespace() {
    RenderedChart rendered = chart.render(ChartCase.named("cluster-wide"));
    Map<String, JsonNode> env = rendered.operatorEnv();

    JsonNode binding = rendered.get("ClusterRoleBinding", FULLNAME);
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(FULLNAME);
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("helm-cluster-wide");
    assertThat(rendered.find("ClusterRole", FULLNAME)).isPresent();
    assertThat(env).doesNotContainKey("QUARKUS_OPERATOR_SDK_NAMESPACES");
    assertThat(value(env, "FIELDPROOF_MQTT_NAMESPACE")).isEqualTo("+");
    assertThat(value(env, "FIELDPROOF_MQTT_SHARED_GROUP")).isEqualTo("fieldproof-prod");
    assertThat(rendered.get("Deployment", FULLNAME).at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(rendered.get("PodDisruptionBudget", FULLNAME).at("/spec/minAvailable").asInt())
        .isEqualTo(1);
  }

  @Test
  void namespacedModeRendersRolesInEachWatchedNamespaceAndOnlyTheAccessReviewClusterRole() {
    RenderedChart rendered = chart.render(ChartCase.named("namespaced"));
    Map<String, JsonNode> env = rendered.operatorEnv();

    assertThat(rendered.ofKind("ClusterRole"))
        .as("only the fleet page's TokenReview and SubjectAccessReview, which are not namespaced")
        .singleElement()
        .satisfies(
            role -> {
              assertThat(role.at("/metadata/name").asText()).isEqualTo(FULLNAME + "-access-review");
              assertThat(role.path("rules"))
                  .allSatisfy(
                      rule -> {
                        assertThat(texts(rule.path("resources")))
                            .isSubsetOf("tokenreviews", "subjectaccessreviews");
                        assertThat(texts(rule.path("verbs"))).containsExactly("create");
                      });
            });
    assertThat(rendered.ofKind("ClusterRoleBinding"))
        .singleElement()
        .satisfies(
            b -> assertThat(b.at("/roleRef/name").asText()).isEqualTo(FULLNAME + "-access-review"));
    assertThat(namespacesOf(rendered, "Role")).containsExactlyInAnyOrder("fleet-a", "fleet-b");
    assertThat(namespacesOf(rendered, "RoleBinding"))
        .containsExactlyInAnyOrder("fleet-a", "fleet-b");
    assertThat(value(env, "QUARKUS_OPERATOR_SDK_NAMESPACES")).isEqualTo("fleet-a,fleet-b");
    assertThat(value(env, "FIELDPROOF_MQTT_NAMESPACE"))
        .as("two namespaces cannot share one topic filter")
        .isEqualTo("+");
  }

  @Test
  void oneWatchedNamespaceIsAlsoTheOnlyTopicNamespaceRead() {
    Map<String, JsonNode> env = chart.render(ChartCase.named("namespaced-one")).operatorEnv();

    assertThat(value(env, "QUARKUS_OPERATOR_SDK_NAMESPACES")).isEqualTo("fleet-a");
    assertThat(value(env, "FIELDPROOF_MQTT_NAMESPACE")).isEqualTo("fleet-a");
  }

  @Test
  void credentialsFromAnExistingSecretAndTheCaMountedReadOnly() {
    RenderedChart rendered = chart.render(ChartCase.named("existing-secret-tls"));
    JsonNode pod = rendered.operatorPod();
    Map<String, JsonNode> env = rendered.operatorEnv();

    assertThat(rendered.ofKind("Secret")).as("the chart creates no Secret").isEmpty();
    JsonNode username = env.get("FIELDPROOF_MQTT_USERNAME").at("/valueFrom/secretKeyRef");
    assertThat(username.path("name").asText()).isEqualTo("broker-credentials");
    assertThat(username.path("key").asText()).isEqualTo("user");
    JsonNode password = env.get("FIELDPROOF_MQTT_PASSWORD");
    assertThat(password.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("pass");
    assertThat(password.has("value")).as("no password in the pod spec").isFalse();
    assertThat(value(env, "FIELDPROOF_MQTT_URI")).isEqualTo("ssl://broker.example.org:8883");
    assertThat(value(env, "FIELDPROOF_MQTT_CA_FILE")).isEqualTo("/etc/fieldproof/mqtt-ca/ca.crt");
    JsonNode mount = named(pod.at("/containers/0/volumeMounts"), "mqtt-ca");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/fieldproof/mqtt-ca");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode ca = named(pod.path("volumes"), "mqtt-ca").path("secret");
    assertThat(ca.path("secretName").asText()).isEqualTo("broker-ca");
    assertThat(ca.at("/items/0/key").asText()).isEqualTo("ca.pem");
    assertThat(ca.at("/items/0/path").asText()).isEqualTo("ca.crt");
    assertThat(value(env, "FIELDPROOF_URL_SOURCE_MAX_BYTES")).isEqualTo("1048576");
    assertThat(value(env, "FIELDPROOF_URL_SOURCE_TIMEOUT")).isEqualTo("90s");
    assertThat(value(env, "FIELDPROOF_URL_SOURCE_MAX_REDIRECTS")).isEqualTo("0");
  }

  @Test
  void credentialsInASecretTheChartCreatesAndTheCaFromAConfigMap() {
    RenderedChart rendered = chart.render(ChartCase.named("chart-secret-configmap-ca"));
    Map<String, JsonNode> env = rendered.operatorEnv();

    JsonNode secret = rendered.get("Secret", FULLNAME + "-mqtt");
    assertThat(decode(secret.at("/data/username"))).isEqualTo("fieldproof");
    assertThat(decode(secret.at("/data/password"))).isEqualTo("s3cret-for-tests");
    assertThat(env.get("FIELDPROOF_MQTT_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo(FULLNAME + "-mqtt");
    assertThat(
            rendered
                .get("Deployment", FULLNAME)
                .at("/spec/template/metadata/annotations/checksum~1mqtt-secret")
                .asText())
        .as("a changed password rolls the pods")
        .hasSize(64);
    assertThat(
            named(rendered.operatorPod().path("volumes"), "mqtt-ca").at("/configMap/name").asText())
        .isEqualTo("broker-ca-bundle");
  }

  @Test
  void theSigningKeyIsMountedReadOnlyFromItsSecretByDefault() {
    RenderedChart rendered = chart.render(ChartCase.named("defaults"));
    Map<String, JsonNode> env = rendered.operatorEnv();
    JsonNode pod = rendered.operatorPod();

    assertThat(value(env, "FIELDPROOF_SIGNING_ENABLED")).isEqualTo("true");
    assertThat(value(env, "FIELDPROOF_SIGNING_KEY_FILE"))
        .isEqualTo("/etc/fieldproof/signing/key.pem");
    JsonNode mount = named(pod.at("/containers/0/volumeMounts"), "signing-key");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/fieldproof/signing");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode secret = named(pod.path("volumes"), "signing-key").path("secret");
    assertThat(secret.path("secretName").asText()).isEqualTo(FULLNAME + "-signing");
    assertThat(secret.at("/items/0/key").asText()).isEqualTo("key.pem");
    assertThat(secret.path("defaultMode").asInt()).isEqualTo(0440);
    assertThat(rendered.ofKind("Secret")).as("helm cannot make an Ed25519 key").isEmpty();
  }

  @Test
  void theSigningKeyComesFromAnExistingSecretOrSigningIsOffOnlyWhenSaidSo() {
    JsonNode own =
        named(
                chart
                    .render(ChartCase.named("signing-existing-secret"))
                    .operatorPod()
                    .path("volumes"),
                "signing-key")
            .path("secret");
    assertThat(own.path("secretName").asText()).isEqualTo("desired-state-signer");
    assertThat(own.at("/items/0/key").asText()).isEqualTo("ed25519.pem");
    assertThat(own.at("/items/0/path").asText()).isEqualTo("key.pem");

    RenderedChart unsigned = chart.render(ChartCase.named("unsigned-development"));
    assertThat(value(unsigned.operatorEnv(), "FIELDPROOF_SIGNING_ENABLED")).isEqualTo("false");
    assertThat(unsigned.operatorEnv()).doesNotContainKey("FIELDPROOF_SIGNING_KEY_FILE");
    assertThat(unsigned.operatorPod().path("volumes").findValuesAsText("name"))
        .doesNotContain("signing-key");
  }

  @Test
  void theEmbeddedBrokerIsOffByDefaultAndWhenOnTheOperatorUsesIt() {
    assertThat(
            chart.render(ChartCase.named("defaults")).find("Deployment", FULLNAME + "-mosquitto"))
        .isEmpty();
    RenderedChart rendered = chart.render(ChartCase.named("embedded-broker"));

    JsonNode broker = rendered.get("Deployment", FULLNAME + "-mosquitto").at("/spec/template/spec");
    JsonNode container = broker.at("/containers/0");
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/fieldproof/mosquitto:0.1.0");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(broker.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(named(container.path("volumeMounts"), "config").path("readOnly").asBoolean())
        .isTrue();
    assertThat(
            rendered.get("ConfigMap", FULLNAME + "-mosquitto").at("/data/mosquitto.conf").asText())
        .contains("listener 1883")
        .contains("persistence_location /mosquitto/data/");
    assertThat(rendered.get("Service", FULLNAME + "-mosquitto").at("/spec/type").asText())
        .isEqualTo("NodePort");
    String service = (FULLNAME + "-mosquitto").toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    assertThat(value(rendered.operatorEnv(), "FIELDPROOF_MQTT_URI"))
        .as("the broker's Service variables, which need no cluster DNS")
        .isEqualTo("tcp://$(" + service + "_SERVICE_HOST):$(" + service + "_SERVICE_PORT)");
  }

  @Test
  void theEmbeddedBrokerRequiresPasswordsAndTheGeneratedAcl() {
    RenderedChart rendered = chart.render(ChartCase.named("embedded-broker"));

    JsonNode config = rendered.get("ConfigMap", FULLNAME + "-mosquitto").path("data");
    assertThat(config.path("mosquitto.conf").asText())
        .contains("allow_anonymous false")
        .contains("password_file /mosquitto/auth/passwd")
        .contains("acl_file /mosquitto/config/acl")
        .doesNotContain("allow_anonymous true");
    String acl = config.path("acl").asText();
    assertThat(acl)
        .contains("pattern readwrite fieldproof/sync/%c")
        .contains(
            "user fieldproof-operator\ntopic read fieldproof/v2/+/gw/+/state\n",
            "topic readwrite fieldproof/v2/+/gw/+/dev/+/desired\n",
            "user plant-a.gw-1\ntopic write fieldproof/v2/plant-a/gw/gw-1/state\n",
            "topic read fieldproof/v2/plant-a/gw/gw-1/dev/+/desired\n"
                + "topic read fieldproof/v2/plant-a/models/#\n",
            "user plant-a.gw-2\n",
            "user plant-b.gw-1\ntopic write fieldproof/v2/plant-b/gw/gw-1/state\n");
    assertThat(acl.lines().filter(l -> l.startsWith("pattern")))
        .as("no pattern but the client's own marker: a pattern applies to every user")
        .containsExactly("pattern readwrite fieldproof/sync/%c");

    JsonNode pod = rendered.get("Deployment", FULLNAME + "-mosquitto").at("/spec/template/spec");
    JsonNode init = pod.at("/initContainers/0");
    assertThat(init.path("command").toString())
        .contains("mosquitto_passwd -U /mosquitto/auth/passwd");
    assertThat(init.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    JsonNode passwords = named(pod.path("volumes"), "passwords").path("secret");
    assertThat(passwords.path("secretName").asText()).isEqualTo(FULLNAME + "-broker-passwords");
    assertThat(passwords.at("/items/0/key").asText()).isEqualTo("passwords");
    assertThat(named(pod.at("/containers/0/volumeMounts"), "auth").path("readOnly").asBoolean())
        .isTrue();
    assertThat(
            rendered
                .get("Deployment", FULLNAME + "-mosquitto")
                .at("/spec/template/metadata/annotations/checksum~1config")
                .asText())
        .as("a changed ACL restarts the broker")
        .hasSize(64);
  }

  @Test
  void anExposedBrokerWithoutAuthOrTheOperatorsCredentialsDoesNotRender() {
    String exposed = "embeddedBroker is exposed outside the cluster";
    assertRefused(
        exposed + " (service.type NodePort, exposed false) without auth and the ACL",
        "embeddedBroker.enabled=true",
        "embeddedBroker.auth.enabled=false",
        "embeddedBroker.service.type=NodePort");
    assertRefused(
        exposed + " (service.type LoadBalancer, exposed false)",
        "embeddedBroker.enabled=true",
        "embeddedBroker.auth.enabled=false",
        "embeddedBroker.service.type=LoadBalancer");
    assertRefused(
        exposed + " (service.type ClusterIP, exposed true)",
        "embeddedBroker.enabled=true",
        "embeddedBroker.auth.enabled=false",
        "embeddedBroker.exposed=true");
    assertRefused(
        "embeddedBroker.auth.enabled needs the operator's credentials",
        "embeddedBroker.enabled=true");

    RenderedChart closedTrial =
        chart.render(
            ChartCase.named("defaults"),
            "--set",
            "embeddedBroker.enabled=true",
            "--set",
            "embeddedBroker.auth.enabled=false");
    assertThat(
            closedTrial
                .get("ConfigMap", FULLNAME + "-mosquitto")
                .at("/data/mosquitto.conf")
                .asText())
        .as("anonymous only inside the cluster, when asked for")
        .contains("allow_anonymous true");
  }

  private void assertRefused(String message, String... values) {
    List<String> args = new java.util.ArrayList<>();
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    Helm.Result result = chart.tryRender(args.toArray(String[]::new));
    assertThat(result.exitCode()).as("helm template with " + args).isNotZero();
    assertThat(result.stderr()).contains(message);
  }

  @Test
  void networkPoliciesAdmitOnlyTheListedPeers() {
    assertThat(chart.render(ChartCase.named("embedded-broker")).ofKind("NetworkPolicy")).isEmpty();
    RenderedChart rendered = chart.render(ChartCase.named("network-policy"));

    JsonNode operator = rendered.get("NetworkPolicy", FULLNAME).path("spec");
    assertThat(operator.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText())
        .isEqualTo("operator");
    assertThat(operator.at("/ingress/0/from/0/namespaceSelector/matchLabels").toString())
        .contains("monitoring");
    assertThat(operator.at("/ingress/0/ports/0/port").asText()).isEqualTo("http");
    assertThat(operator.path("ingress")).hasSize(1);

    JsonNode broker = rendered.get("NetworkPolicy", FULLNAME + "-mosquitto").path("spec");
    assertThat(broker.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText())
        .isEqualTo("broker");
    JsonNode from = broker.at("/ingress/0/from");
    assertThat(from.at("/0/podSelector/matchLabels/app.kubernetes.io~1component").asText())
        .as("the operator's pods")
        .isEqualTo("operator");
    assertThat(from.at("/1/ipBlock/cidr").asText()).isEqualTo("10.20.0.0/16");
    assertThat(from).hasSize(2);
    assertThat(broker.at("/ingress/0/ports/0/port").asText()).isEqualTo("mqtt");

    JsonNode closed =
        chart
            .render(ChartCase.named("network-policy"), "--set", "networkPolicy.operator.from=null")
            .get("NetworkPolicy", FULLNAME)
            .path("spec");
    assertThat(closed.path("ingress")).as("no peer listed: no ingress at all").isEmpty();
  }

  @Test
  void theServiceMonitorIsOffByDefaultAndScrapesQuarkusMetricsWhenOn() {
    assertThat(chart.render(ChartCase.named("defaults")).ofKind("ServiceMonitor")).isEmpty();
    RenderedChart rendered = chart.render(ChartCase.named("servicemonitor"));

    JsonNode monitor = rendered.get("ServiceMonitor", FULLNAME);
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
    JsonNode service = rendered.get("Service", FULLNAME);
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(service.at("/spec/selector").equals(monitor.at("/spec/selector/matchLabels")))
        .as("the ServiceMonitor selects the operator's Service")
        .isTrue();
  }

  @Test
  void dashboardsShipEveryFileOfTheFolderWithTheGrafanaLabel(@TempDir Path tmp) throws IOException {
    FieldproofChart copy = chart.copyTo(tmp);
    Path dashboards = copy.dir().resolve("dashboards");
    deleteRecursively(dashboards);
    Files.createDirectories(dashboards);
    assertThat(copy.render("--set", "dashboards.enabled=true").ofKind("ConfigMap"))
        .as("an empty dashboards/ folder renders no ConfigMap")
        .isEmpty();

    Files.writeString(dashboards.resolve("fleet.json"), "{\"title\": \"Fleet\"}\n");
    Files.writeString(dashboards.resolve("rollouts.json"), "{\"title\": \"Rollouts\"}\n");
    JsonNode configMap =
        copy.render("--set", "dashboards.enabled=true").get("ConfigMap", FULLNAME + "-dashboards");

    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(configMap.at("/data/fleet.json").asText()).isEqualTo("{\"title\": \"Fleet\"}\n");
    assertThat(configMap.at("/data/rollouts.json").asText()).contains("\"Rollouts\"");
    assertThat(copy.render().ofKind("ConfigMap"))
        .as("dashboards.enabled is false by default")
        .isEmpty();
  }

  private static String value(Map<String, JsonNode> env, String name) {
    assertThat(env).as("operator env").containsKey(name);
    return env.get(name).path("value").asText();
  }

  private static Stream<String> namespacesOf(RenderedChart rendered, String kind) {
    return rendered
        .ofKind(kind)
        .filter(o -> o.at("/metadata/name").asText().equals(FULLNAME))
        .map(o -> o.at("/metadata/namespace").asText());
  }

  private static String decode(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
