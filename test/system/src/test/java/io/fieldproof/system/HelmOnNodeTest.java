package io.fieldproof.system;

import static io.fieldproof.system.RolloutFixtures.cleanDir;
import static io.fieldproof.system.RolloutFixtures.fixture;
import static io.fieldproof.system.RolloutFixtures.pause;
import static io.fieldproof.system.RolloutFixtures.percent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.StrategySpec;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart on a real node, as a user runs it: helm install with the project's own images, the
 * operator pods Ready under the chart's ServiceAccount and RBAC, the chart's embedded Mosquitto
 * serving edge agents that run outside the cluster (on this machine, through a NodePort), a rollout
 * over emulated devices to Succeeded while the leader pod is deleted, an upgrade to a new image tag
 * that keeps the rollout's state, and an uninstall that leaves only what the docs say. A second
 * install in the namespaced RBAC mode serves its namespace and the fleet page.
 */
class HelmOnNodeTest {

  private static final String GROUP = "pump-vibration";
  private static final String ROLLOUT = "vib-anomaly-1-4-0";
  private static final int DEVICES = 6;
  // the embedded broker's logins (the chart requires them with a NodePort)
  private static final String OPERATOR_USER = "fieldproof-operator";
  private static final String OPERATOR_PASSWORD = "operator-on-node";
  private static final String GATEWAY_PASSWORD = "gateway-on-node";
  private static final Duration READY = Duration.ofMinutes(5);
  private static final String OPERATOR_IMAGE = "ghcr.io/fieldproof/operator";

  private final RealNode node = RealNode.up();
  private final KubernetesClient client = node.client();
  private final Helm helm = Helm.installed().withEnv(node.helmEnv());
  private final Path chart = ProjectPaths.root().resolve("helm/fieldproof");
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Each run's releases and namespaces get a suffix of their own: on a node that outlived an
   * earlier run (a developer's), nothing that run left behind can be in the way.
   */
  private final String run = Long.toString(System.nanoTime() % 1_000_000L, 36);

  private final String release = "fp" + run;
  private final String fullname = release + "-fieldproof";

  @Test
  void aRolloutSucceedsAcrossALeaderLossAndAnUpgradeAndUninstallLeavesOnlyWhatTheDocsSay()
      throws Exception {
    String system = namespace("fieldproof-system-" + run);
    String plant = namespace("plant-a-" + run);
    Path dir = cleanDir(Path.of("target", "helm-on-node").toAbsolutePath());
    signingSecret(system, fullname + "-signing");
    brokerPasswords(system, fullname + "-broker-passwords", plant);
    helm.run(
        "install",
        release,
        chart.toString(),
        "--namespace",
        system,
        "--set",
        "replicaCount=2",
        "--set",
        "embeddedBroker.enabled=true",
        "--set",
        "embeddedBroker.service.type=NodePort",
        "--set",
        "mqtt.auth.enabled=true",
        "--set",
        "mqtt.auth.username=" + OPERATOR_USER,
        "--set",
        "mqtt.auth.password=" + OPERATOR_PASSWORD,
        "--set",
        "embeddedBroker.acl.gateways." + plant + "={gw-pumps}",
        "--wait",
        "--timeout",
        "5m");
    try {
      rolloutUpgradeAndUninstall(system, plant, dir);
    } finally {
      // a failed run must not leave a cluster-wide operator behind to fight the next run's
      helm.exec("uninstall", release, "--namespace", system, "--wait", "--timeout", "3m");
    }
  }

  private void rolloutUpgradeAndUninstall(String system, String plant, Path dir) throws Exception {
    awaitOperatorsReady(system, 2);
    String broker =
        "tcp://"
            + node.ip()
            + ":"
            + node.kubectl(
                "get",
                "service",
                "-n",
                system,
                fullname + "-mosquitto",
                "-o",
                "jsonpath={.spec.ports[0].nodePort}");
    String oldSha = Sha256.hex(Files.readAllBytes(fixture("dense_anomaly.tflite")));
    String newSha = Sha256.hex(Files.readAllBytes(fixture("dense_anomaly_v2.tflite")));
    GatewayProcesses.Spec pumps =
        new GatewayProcesses.Spec(
            plant,
            "gw-pumps",
            DEVICES,
            300,
            fixture("dense_anomaly.tflite"),
            "1.3.0",
            "{line: \"3\", sensor: vibration}");
    Path sample = ProjectPaths.root().resolve("samples/esp32-vibration");

    try (DeviceTopics topics =
            DeviceTopics.subscribe(broker, plant, OPERATOR_USER, OPERATOR_PASSWORD);
        GatewayProcesses gateway =
            GatewayProcesses.start(
                pumps, broker, plant + ".gw-pumps", GATEWAY_PASSWORD, dir.resolve("gw"))) {
      node.kubectl("apply", "--server-side", "-n", plant, "-f", sample + "/devicegroup.yaml");
      // the sample reports health every 30 s: the test's short steps want fresh counts
      node.kubectl(
          "patch",
          "-n",
          plant,
          "devicegroup",
          "pump-vibration",
          "--type",
          "merge",
          "-p",
          "{\"spec\":{\"telemetry\":{\"reportIntervalSeconds\":1}}}");
      node.kubectl("apply", "--server-side", "-n", plant, "-f", sample + "/model-configmap.yaml");
      await()
          .atMost(READY)
          .untilAsserted(
              () -> {
                DeviceGroup group = group(plant);
                assertThat(group.getStatus()).isNotNull();
                assertThat(group.getStatus().devices.online).isEqualTo(DEVICES);
              });

      client.resource(rollout(sample.resolve("modelrollout.yaml"))).inNamespace(plant).create();
      await()
          .atMost(READY)
          .untilAsserted(() -> assertThat(updated(plant)).isGreaterThanOrEqualTo(1));
      String leader = leader(system);
      Integer leaseSeconds =
          client
              .leases()
              .inNamespace(system)
              .withName(fullname)
              .get()
              .getSpec()
              .getLeaseDurationSeconds();
      client.pods().inNamespace(system).withName(leader).withGracePeriod(0).delete();
      await()
          .alias("the standby leads within the lease duration (" + leaseSeconds + " s)")
          .atMost(Duration.ofSeconds(leaseSeconds + 5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !leader.equals(leader(system)));

      await()
          .atMost(READY)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> assertThat(status(plant).phase).as(describe(plant)).isEqualTo(Phase.SUCCEEDED));
      gateway.deviceIds().forEach(id -> assertFlashedOnce(topics, id, newSha));
      RolloutEventLog.of(client, plant, ROLLOUT).assertNoneRepeated();
      awaitOperatorsReady(system, 2);
      assertEachDeviceCountedOnce(system, plant);

      ModelRolloutStatus before = status(plant);
      node.tagImage(OPERATOR_IMAGE + ":" + appVersion(), OPERATOR_IMAGE + ":upgrade-test");
      helm.run(
          "upgrade",
          release,
          chart.toString(),
          "--namespace",
          system,
          "--reuse-values",
          "--set",
          "image.tag=upgrade-test",
          "--wait",
          "--timeout",
          "5m");
      await()
          .atMost(READY)
          .untilAsserted(
              () ->
                  assertThat(operatorPods(system))
                      .hasSize(2)
                      .allSatisfy(
                          p ->
                              assertThat(p.getSpec().getContainers().get(0).getImage())
                                  .endsWith(":upgrade-test")));
      awaitOperatorsReady(system, 2);
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(status(plant)).usingRecursiveComparison().isEqualTo(before);
                gateway.deviceIds().forEach(id -> assertFlashedOnce(topics, id, newSha));
              });
      assertThat(oldSha).isNotEqualTo(newSha);
    }

    helm.run("uninstall", release, "--namespace", system, "--wait", "--timeout", "3m");
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              assertThat(
                      node.kubectl(
                          "get",
                          "all,configmaps,secrets,serviceaccounts,roles,rolebindings,poddisruptionbudgets",
                          "-n",
                          system,
                          "-l",
                          "app.kubernetes.io/instance=" + release,
                          "-o",
                          "name"))
                  .isBlank();
              assertThat(
                      node.kubectl(
                          "get",
                          "clusterroles,clusterrolebindings",
                          "-l",
                          "app.kubernetes.io/instance=" + release,
                          "-o",
                          "name"))
                  .isBlank();
            });
    assertThat(node.kubectl("get", "crd", "-o", "name"))
        .as("CRDs stay: helm never deletes what a chart's crds/ installed (docs/operations.md)")
        .contains("devicegroups.fieldproof.io", "modelrollouts.fieldproof.io");
    assertThat(group(plant)).as("custom resources stay with their CRDs").isNotNull();
    assertThat(node.kubectl("get", "leases", "-n", system, "-o", "name"))
        .as("the Lease the operator made at run time stays (docs/operations.md)")
        .contains(fullname);
  }

  @Test
  void theNamespacedModeServesItsNamespaceAndTheFleetPageWithoutClusterWidePermissions()
      throws Exception {
    String system = namespace("fieldproof-ns-" + run);
    String plant = namespace("plant-b-" + run);
    signingSecret(system, release + "n-fieldproof-signing");
    helm.run(
        "install",
        release + "n",
        chart.toString(),
        "--namespace",
        system,
        "--set",
        "rbac.scope=namespaced",
        "--set",
        "watchNamespaces={" + plant + "}",
        "--set",
        "embeddedBroker.enabled=true",
        "--set",
        "embeddedBroker.auth.enabled=false",
        "--wait",
        "--timeout",
        "5m");
    try {
      awaitOperatorsReady(system, 1);
      Path sample = ProjectPaths.root().resolve("samples/esp32-vibration");
      node.kubectl("apply", "--server-side", "-n", plant, "-f", sample + "/devicegroup.yaml");
      await()
          .atMost(READY)
          .untilAsserted(
              () -> {
                DeviceGroup group = group(plant);
                assertThat(group.getStatus()).isNotNull();
                assertThat(group.getStatus().observedGeneration)
                    .isEqualTo(group.getMetadata().getGeneration());
              });
      Pod operator = operatorPods(system).get(0);
      assertThat(status(operator, "/fleet/api/summary", null))
          .as("the fleet summary without a token")
          .isEqualTo(401);
      String token = viewerToken(plant);
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(get(operator, "/fleet/api/summary", token))
                      .contains("\"" + plant + "\"")
                      .contains(GROUP));
      assertThat(
              client.pods().inNamespace(system).withName(operator.getMetadata().getName()).getLog())
          .doesNotContainIgnoringCase("forbidden");
    } finally {
      helm.run("uninstall", release + "n", "--namespace", system, "--wait", "--timeout", "3m");
    }
  }

  /**
   * The Secret the chart mounts the signing key from (signing.existingSecret, by default {@code
   * <fullname>-signing}): the test key, which the test agents trust.
   */
  /** The embedded broker's plain-text password file: the operator's user and the gateway's. */
  private void brokerPasswords(String ns, String name, String plant) {
    node.kubectl(
        "create",
        "secret",
        "generic",
        name,
        "-n",
        ns,
        "--from-literal=passwords="
            + OPERATOR_USER
            + ":"
            + OPERATOR_PASSWORD
            + "\n"
            + plant
            + ".gw-pumps:"
            + GATEWAY_PASSWORD
            + "\n");
  }

  private void signingSecret(String ns, String name) {
    node.kubectl(
        "create",
        "secret",
        "generic",
        name,
        "-n",
        ns,
        "--from-file=key.pem=" + TestSigningKeys.TEST.privateKeyFile());
  }

  private String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  private List<Pod> operatorPods(String ns) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/component", "operator")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private void awaitOperatorsReady(String ns, int replicas) {
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(operatorPods(ns))
                    .hasSize(replicas)
                    .allSatisfy(
                        p ->
                            assertThat(p.getStatus().getConditions())
                                .anySatisfy(
                                    c -> {
                                      assertThat(c.getType()).isEqualTo("Ready");
                                      assertThat(c.getStatus()).isEqualTo("True");
                                    })));
  }

  private String leader(String ns) {
    Lease lease = client.leases().inNamespace(ns).withName(fullname).get();
    assertThat(lease).as("the leader election's Lease").isNotNull();
    return lease.getSpec().getHolderIdentity();
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
  }

  private ModelRolloutStatus status(String ns) {
    ModelRollout rollout =
        client.resources(ModelRollout.class).inNamespace(ns).withName(ROLLOUT).get();
    return rollout == null ? null : rollout.getStatus();
  }

  private int updated(String ns) {
    ModelRolloutStatus status = status(ns);
    return status == null || status.devices == null ? 0 : status.devices.updated;
  }

  private String describe(String ns) {
    ModelRolloutStatus status = status(ns);
    return status == null
        ? "no status"
        : status.phase + " step " + status.currentStep + ": " + status.message;
  }

  private static void assertFlashedOnce(DeviceTopics topics, String id, String sha) {
    ReportedState twin = topics.reported(id).orElseThrow();
    assertThat(twin.slots().activeModel().sha256()).as("the model %s runs", id).isEqualTo(sha);
    assertThat(topics.events(id, "update"))
        .as("the update outcomes %s reported", id)
        .extracting(DeviceEvent::reason)
        .containsExactly("ModelConfirmed");
  }

  /**
   * Summed over both replicas, as a dashboard sums them, each device is counted once: only the
   * leader exports the fleet gauges.
   */
  private void assertEachDeviceCountedOnce(String system, String plant) {
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              double online =
                  operatorPods(system).stream()
                      .map(p -> get(p, "/q/metrics"))
                      .flatMap(String::lines)
                      .filter(l -> l.startsWith("fieldproof_group_devices{"))
                      .filter(l -> l.contains("namespace=\"" + plant + "\""))
                      .filter(l -> l.contains("state=\"online\""))
                      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                      .sum();
              assertThat(online).isEqualTo(DEVICES);
            });
  }

  private String get(Pod pod, String path) {
    return get(pod, path, null);
  }

  private String get(Pod pod, String path, String token) {
    HttpResponse<String> response = request(pod, path, token);
    assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
    return response.body();
  }

  private int status(Pod pod, String path, String token) {
    return request(pod, path, token).statusCode();
  }

  private HttpResponse<String> request(Pod pod, String path, String token) {
    try {
      URI uri = URI.create("http://" + pod.getStatus().getPodIP() + ":8080" + path);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("cannot reach " + pod.getMetadata().getName() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A token of a ServiceAccount that may list the DeviceGroups of one namespace, and no more. */
  private String viewerToken(String ns) {
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("fleet-viewer")
                .endMetadata()
                .build())
        .serverSideApply();
    client
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("fleet-viewer")
                .endMetadata()
                .addNewRule()
                .withApiGroups("fieldproof.io")
                .withResources("devicegroups")
                .withVerbs("get", "list", "watch")
                .endRule()
                .build())
        .serverSideApply();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("fleet-viewer")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "fleet-viewer")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("fleet-viewer")
                .withNamespace(ns)
                .endSubject()
                .build())
        .serverSideApply();
    return node.kubectl("create", "token", "fleet-viewer", "-n", ns).trim();
  }

  private ModelRollout rollout(Path file) {
    ModelRollout rollout = client.resources(ModelRollout.class).load(file.toFile()).item();
    StrategySpec strategy = new StrategySpec();
    strategy.steps = List.of(percent(50), pause("20s"), percent(100));
    strategy.maxConcurrent = new IntOrString(2);
    strategy.deviceTimeout = "3m";
    strategy.retries = 1;
    strategy.trial = "2s";
    rollout.getSpec().strategy = strategy;
    return rollout;
  }

  private String appVersion() throws IOException {
    return Files.readAllLines(chart.resolve("Chart.yaml")).stream()
        .filter(l -> l.startsWith("appVersion:"))
        .map(l -> l.substring("appVersion:".length()).trim().replace("\"", ""))
        .findFirst()
        .orElseThrow();
  }
}
