package io.fieldproof.operator;

import static io.fieldproof.operator.RolloutConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Staged configuration end to end (docs/rollouts.md "Config rollouts"): a ModelRollout's
 * spec.config goes to the devices of its cohort only, with its model as one unit, through the same
 * gates and rollback, against a real API server, Mosquitto, edge agents and emulated ESP32 pumps.
 * Every desired state the operator publishes is recorded from the broker, so the test sees what
 * each device was ever told, not only where it ended.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class StagedConfigRolloutTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(150);

  /** The sample group's threshold. */
  private static final double GROUP_THRESHOLD = 0.80;

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] v1 = ModelFixtures.bytes("dense_anomaly.tflite");
  private final byte[] v2 = ModelFixtures.bytes("dense_anomaly_v2.tflite");
  private final GroupAwait awaitGroup = new GroupAwait(client, WAIT);
  private final RolloutAwait awaitRollout = new RolloutAwait(client, WAIT);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final Queue<DesiredState> told = new ConcurrentLinkedQueue<>();
  private MqttSession watcher;

  @BeforeEach
  void watchDesiredStates() throws Exception {
    watcher =
        new MqttSession(
            TestMqttSettings.anonymous(
                FleetTestResource.broker().uri(),
                "desired-watcher-" + System.nanoTime(),
                Duration.ofSeconds(10)),
            null,
            r -> {},
            scheduler);
  }

  @AfterEach
  void stop() {
    watcher.close();
    scheduler.shutdownNow();
  }

  @Test
  void aThresholdThatMakesTheCanaryAlarmIsRolledBackOnTheCanaryAlone() throws Exception {
    String ns = plane.createNamespace("config-canary");
    record(ns);
    try (EmulatedGateway gw = fleet(ns, "gw-1", 700, 5)) {
      applyGroup(ns);
      awaitGroup.online(ns, 5);
      await().atMost(WAIT).until(() -> configured(gw, GROUP_THRESHOLD).size() == 5);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v1", "dense_anomaly");
      // the model the group runs, and a threshold every score passes: each inference alarms
      applyRollout(
          ns,
          "alarming-threshold",
          "vib-v1",
          "1.3.0",
          v1,
          """
          config:
            decision: {output: 0, threshold: -1000, minConsecutive: 1}
          strategy:
            steps: [{setPercent: 20}, {pause: {duration: 10m}}, {setPercent: 100}]
            maxConcurrent: 1
            trial: 2s
          gates:
            minDevices: 1
            rules:
              - {metric: alarmSampleRate, maxRatioToBaseline: 3}
          """);

      ModelRollout rolledBack =
          awaitRollout.until(
              ns,
              "alarming-threshold",
              r -> assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK));
      assertThat(condition(rolledBack, "Failed")).isEqualTo("True/GateFailed");
      assertThat(rolledBack.getStatus().message).contains("alarmSampleRate");

      List<String> toldBad = devicesTold(d -> threshold(d) == -1000);
      assertThat(toldBad).as("devices ever told the bad threshold").hasSize(1);
      String canary = toldBad.get(0);
      assertThat(told)
          .as("every desired state of the other devices")
          .filteredOn(d -> !d.device().equals(canary))
          .isNotEmpty()
          .allSatisfy(d -> assertThat(threshold(d)).isEqualTo(GROUP_THRESHOLD));
      long group = group(ns).getMetadata().getGeneration();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(configured(gw, GROUP_THRESHOLD)).hasSize(5);
                assertThat(gw.emulators())
                    .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(group));
              });
      // the canary kept its model: the rollout changed only its config, and took only that back
      assertThat(gw.running(v1)).hasSize(5);
      assertThat(gw.emulators().stream().filter(e -> e.deviceId().equals(canary)).findFirst())
          .get()
          .satisfies(e -> assertThat(e.slots().activeModel()).isPresent());
      // the group's reconciles do not bring it back either
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(configured(gw, GROUP_THRESHOLD)).hasSize(5));
      assertThat(group(ns).getStatus().configRollout).isNull();
      assertConfigEditRefused(ns, "alarming-threshold");
    }
  }

  @Test
  void aModelAndTheConfigItNeedsGoOutAsOneUnitAndStayInForce() throws Exception {
    String ns = plane.createNamespace("config-unit");
    record(ns);
    try (EmulatedGateway gw = fleet(ns, "gw-1", 800, 4)) {
      applyGroup(ns);
      awaitGroup.online(ns, 4);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "v2-with-threshold",
          "vib-v2",
          "1.4.0",
          v2,
          """
          config:
            decision: {output: 0, threshold: 0.7, minConsecutive: 2}
          strategy:
            steps: [{setPercent: 50}, {setPercent: 100}]
            maxConcurrent: 2
            trial: 2s
          """);

      awaitRollout.until(
          ns,
          "v2-with-threshold",
          r -> {
            assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
            assertThat(r.getStatus().devices.updated).isEqualTo(4);
          });
      assertThat(gw.running(v2)).hasSize(4);
      await().atMost(WAIT).until(() -> configured(gw, 0.7).size() == 4);
      String v2sha = Sha256.hex(v2);
      assertThat(told)
          .as("desired states naming the new model")
          .filteredOn(d -> d.model() != null && d.model().sha256().equals(v2sha))
          .isNotEmpty()
          .allSatisfy(d -> assertThat(threshold(d)).isEqualTo(0.7));
      assertThat(told)
          .as("desired states carrying the new config")
          .filteredOn(d -> threshold(d) == 0.7)
          .allSatisfy(d -> assertThat(d.model().sha256()).isEqualTo(v2sha));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(group(ns).getStatus().configRollout).isEqualTo("v2-with-threshold"));

      // an edit of the group reaches the devices, and the rollout's threshold stays in force
      // on top of it
      client
          .resources(DeviceGroup.class)
          .inNamespace(ns)
          .withName("pump-vibration")
          .edit(
              g -> {
                g.getSpec().telemetry.reportIntervalSeconds = 20;
                return g;
              });
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(gw.emulators())
                      .allSatisfy(
                          e -> {
                            JsonNode config = e.config().orElseThrow();
                            assertThat(config.at("/reportIntervalSeconds").asInt()).isEqualTo(20);
                            assertThat(config.at("/decision/threshold").asDouble()).isEqualTo(0.7);
                          }));
    }
  }

  @Test
  void aDirectEditOfTheGroupsThresholdIsRefusedUnlessTheGroupOptsOutOfStaging() {
    String ns = plane.createNamespace("config-direct");
    applyGroup(ns);

    Kubectl.Result refused = patchGroup(ns, "{\"spec\":{\"decision\":{\"threshold\":0.1}}}");
    assertThat(refused.exitCode()).as("kubectl patch of spec.decision").isNotZero();
    assertThat(refused.stderr())
        .contains("spec.configUpdates is rollout")
        .contains("ModelRollout whose spec.config carries it");
    assertThat(group(ns).getSpec().decision.threshold).isEqualTo(GROUP_THRESHOLD);
    assertThat(group(ns).getSpec().configUpdates)
        .isEqualTo(io.fieldproof.api.v1alpha1.DeviceGroupSpec.ConfigUpdates.ROLLOUT);

    // fields that are not runtime behaviour stay editable
    assertThat(
            patchGroup(ns, "{\"spec\":{\"connectivity\":{\"offlineAfterSeconds\":60}}}").exitCode())
        .isZero();

    Kubectl.Result optedOut =
        patchGroup(
            ns, "{\"spec\":{\"configUpdates\":\"immediate\",\"decision\":{\"threshold\":0.1}}}");
    assertThat(optedOut.exitCode()).as(optedOut.stderr()).isZero();
    assertThat(group(ns).getSpec().decision.threshold).isEqualTo(0.1);
  }

  @Test
  void aConfigThatDoesNotFitTheGroupFailsValidationAndAnEmptyOneIsRefused() throws Exception {
    String ns = plane.createNamespace("config-invalid");
    applyGroup(ns);
    ModelConfigMaps.createFromFixture(client, ns, "vib-v1", "dense_anomaly");

    Kubectl.Result empty = applyRolloutYaml(ns, "empty-config", "config: {}");
    assertThat(empty.exitCode()).as("an empty spec.config").isNotZero();
    assertThat(empty.stderr()).contains("spec.config: set at least one of");

    applyRollout(
        ns,
        "one-input",
        "vib-v1",
        "1.3.0",
        v1,
        """
        config:
          inputs:
            - {name: accel_rms, unit: g, normalize: {mean: 0.5, std: 0.1}}
        """);
    ModelRollout failed =
        awaitRollout.until(
            ns, "one-input", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.FAILED));
    assertThat(condition(failed, "Validated")).isEqualTo("False/InvalidConfig");
    assertThat(failed.getStatus().message)
        .contains("spec.config.inputs: 1 inputs, the group declares 4")
        .contains("names input temperature_c");
  }

  private Kubectl.Result applyRolloutYaml(String ns, String name, String rest) throws IOException {
    String yaml =
        """
        apiVersion: fieldproof.io/v1alpha1
        kind: ModelRollout
        metadata:
          name: %s
        spec:
          deviceGroup: pump-vibration
          model:
            name: vibration-anomaly
            version: 1.3.0
            source:
              configMap: {name: vib-v1, key: model.tflite}
        %s"""
            .formatted(name, rest.indent(2));
    java.nio.file.Path file = Files.createTempFile("rollout", ".yaml");
    Files.writeString(file, yaml);
    return plane.kubectl().exec("apply", "-n", ns, "-f", file.toString());
  }

  private Kubectl.Result patchGroup(String ns, String patch) {
    return plane
        .kubectl()
        .exec("patch", "-n", ns, "devicegroup", "pump-vibration", "--type=merge", "-p", patch);
  }

  /** kubectl's edit of the config of a rollout is refused by the API server. */
  private void assertConfigEditRefused(String ns, String name) {
    Kubectl.Result result =
        plane
            .kubectl()
            .exec(
                "patch",
                "-n",
                ns,
                "modelrollout",
                name,
                "--type=merge",
                "-p",
                "{\"spec\":{\"config\":{\"decision\":{\"threshold\":0.5}}}}");
    assertThat(result.exitCode()).as("kubectl patch of spec.config").isNotZero();
    assertThat(result.stderr())
        .contains("spec.config")
        .contains("cannot change once the rollout exists");
  }

  /** Records every desired state published in {@code ns}. */
  private void record(String ns) throws Exception {
    DesiredStateRecorder.record(watcher, ns, told);
  }

  private List<String> devicesTold(Predicate<DesiredState> what) {
    return told.stream().filter(what).map(DesiredState::device).distinct().toList();
  }

  private static double threshold(DesiredState desired) {
    return desired.config().decision().threshold();
  }

  private EmulatedGateway fleet(String ns, String gateway, long seed, int count)
      throws IOException {
    return EmulatedGateway.start(
        ns,
        gateway,
        Chip.ESP32,
        seed,
        count,
        PUMP_LABELS,
        builder -> builder.activeModel("vibration-anomaly", "1.3.0", v1));
  }

  private void applyGroup(String ns) {
    SampleGroups.createPumpVibration(
        client, ns, group -> group.getSpec().telemetry.reportIntervalSeconds = 1);
  }

  private void applyRollout(
      String ns, String name, String configMap, String version, byte[] model, String rest) {
    RolloutManifests.create(
        client, ns, RolloutManifests.pumpVibration(name, version, model, configMap, rest));
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
  }

  /** The ids of the devices that applied a config with {@code threshold}. */
  private static List<String> configured(EmulatedGateway gw, double threshold) {
    return gw.emulators().stream()
        .filter(
            e ->
                e.config()
                    .map(c -> c.at("/decision/threshold").asDouble(Double.NaN) == threshold)
                    .orElse(false))
        .map(DeviceEmulator::deviceId)
        .toList();
  }
}
