package io.fieldproof.system;

import static io.fieldproof.system.RolloutFixtures.cleanDir;
import static io.fieldproof.system.RolloutFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Rollouts on devices that run the C firmware, judged by the operator and agent users run: one host
 * build standing in for an ESP32 and one STM32F405 image under QEMU, both provisioned with
 * dense_anomaly 1.3.0. The operator rolls out 1.4.0 (dense_anomaly_v2) in two steps and both
 * devices take it in-app (inactive slot written while inference runs, digest, self-test against the
 * golden vectors, activation on trial, confirmation); then a model whose self-test vectors do not
 * match is stopped by the devices' own self-test and never activated; then a model that raises the
 * alarm rate is caught by the gate on its canary and rolled back to the other slot, without a
 * download.
 */
class FirmwareRolloutTest {

  private static final String GROUP = "fw-pumps";
  private static final Duration JOIN = Duration.ofSeconds(120);
  private static final Duration ROLLOUT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void firmwareDevicesUpdateRefuseABadSelfTestAndRollBackWithoutADownload() throws Exception {
    String ns = plane.createNamespace("firmware-rollout");
    Path dir = cleanDir(Path.of("target", "firmware-rollout").toAbsolutePath());
    byte[] v1 = Files.readAllBytes(fixture("dense_anomaly.tflite"));
    byte[] v2 = Files.readAllBytes(fixture("dense_anomaly_v2.tflite"));
    byte[] alarming = Files.readAllBytes(fixture("dense_anomaly_alarming.tflite"));
    FirmwareGateway.Spec spec =
        new FirmwareGateway.Spec(
            ns,
            "gw-firmware",
            fixture("dense_anomaly.tflite"),
            "vibration-anomaly",
            "1.3.0",
            "{board: c-firmware}");

    try (MosquittoBroker broker = MosquittoBroker.start();
        DeviceTopics topics = DeviceTopics.subscribe(broker.uri(), ns);
        FirmwareGateway gateway = FirmwareGateway.start(spec, broker.uri(), dir.resolve("gw"));
        OperatorProcess operator =
            OperatorProcess.start(plane.kubeconfig(), broker.uri(), dir.resolve("operator.log"))) {
      List<String> devices = gateway.deviceIds();
      String qemu = gateway.qemu().id();
      assertThat(qemu).startsWith("stm32-");
      client.resource(group()).inNamespace(ns).create();
      awaitRunning(topics, devices, Sha256.hex(v1), JOIN);
      await()
          .atMost(JOIN)
          .untilAsserted(
              () -> {
                DeviceGroup group = group(ns);
                assertThat(group.getStatus()).as("group status").isNotNull();
                assertThat(group.getStatus().devices.online).isEqualTo(2);
              });

      // 1. a full in-app update of both, the QEMU device included
      configMap(ns, "vib-v2", v2, golden("dense_anomaly_v2"));
      rollout(
          ns,
          "vib-1-4-0",
          "1.4.0",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 50}, {pause: {duration: 3s}}, {setPercent: 100}]
            maxConcurrent: 1
            trial: 2s
          """);
      awaitPhase(gateway, ns, "vib-1-4-0", Phase.SUCCEEDED, dir, s -> {});
      awaitRunning(topics, devices, Sha256.hex(v2), Duration.ofSeconds(30));
      for (String id : devices) {
        assertThat(topics.events(id, "update"))
            .as("the update outcomes %s reported", id)
            .extracting(DeviceEvent::reason)
            .containsExactly("ModelConfirmed");
      }
      long inferencesBefore = inferences(topics, qemu);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(inferences(topics, qemu))
                      .as("the QEMU device runs the new model")
                      .isGreaterThan(inferencesBefore));

      // 2. self-test vectors that do not match the model: the devices refuse to activate it
      configMap(ns, "vib-skewed", alarming, skewed(golden("dense_anomaly_alarming")));
      rollout(
          ns,
          "vib-skewed",
          "1.5.0",
          "vib-skewed",
          alarming,
          """
          strategy:
            steps: [{setPercent: 100}]
            maxConcurrent: 2
            retries: 0
            trial: 2s
          abort:
            maxFailedDevices: 1
          """);
      ModelRolloutStatus skewed =
          awaitPhase(gateway, ns, "vib-skewed", Phase.ROLLED_BACK, dir, s -> {});
      assertThat(skewed.failures)
          .isNotEmpty()
          .allSatisfy(f -> assertThat(f.reason).as(f.message).isEqualTo("SelfTestMismatch"));
      awaitRunning(topics, devices, Sha256.hex(v2), Duration.ofSeconds(30));

      // 3. a model that alarms: its canary fails the gate and goes back to the other slot
      configMap(ns, "vib-alarming", alarming, golden("dense_anomaly_alarming"));
      rollout(
          ns,
          "vib-alarming",
          "1.6.0",
          "vib-alarming",
          alarming,
          """
          strategy:
            steps: [{setPercent: 50}, {pause: {duration: 10m}}, {setPercent: 100}]
            maxConcurrent: 1
            trial: 2s
          gates:
            minDevices: 1
            rules:
              - {metric: alarmSampleRate, max: 0.5}
          """);
      ModelRolloutStatus rolledBack =
          awaitPhase(gateway, ns, "vib-alarming", Phase.ROLLED_BACK, dir, s -> {});
      assertThat(rolledBack.message).contains("alarmSampleRate");
      awaitRunning(topics, devices, Sha256.hex(v2), Duration.ofSeconds(60));
      List<String> switchedBack =
          devices.stream()
              .filter(
                  id ->
                      topics.events(id, "update").stream()
                          .anyMatch(e -> e.message().contains("confirmed by slot-switch")))
              .toList();
      assertThat(switchedBack)
          .as("the canary went back to 1.4.0 from its other slot, without a download")
          .hasSize(1);
      assertThat(topics.violations()).isEmpty();
    }
  }

  /** Both devices run {@code sha}, confirmed, not on trial. */
  private static void awaitRunning(
      DeviceTopics topics, List<String> devices, String sha, Duration within) {
    await()
        .atMost(within)
        .untilAsserted(
            () -> {
              for (String id : devices) {
                ReportedState twin = topics.reported(id).orElse(null);
                assertThat(twin).as("%s reported", id).isNotNull();
                assertThat(twin.slots().activeModel()).as("%s runs a model", id).isNotNull();
                assertThat(twin.slots().activeModel().sha256()).as("%s runs", id).isEqualTo(sha);
                assertThat(twin.slots().onTrial()).as("%s on trial", id).isFalse();
              }
            });
  }

  private static long inferences(DeviceTopics topics, String device) {
    return topics.reported(device).map(ReportedState::health).map(Health::inferences).orElse(0L);
  }

  /** The pump inputs of the samples, without stuck detection: the firmware's sensors are steady. */
  private DeviceGroup group() {
    String yaml =
        """
        apiVersion: fieldproof.io/v1alpha1
        kind: DeviceGroup
        metadata:
          name: %s
        spec:
          selector:
            matchLabels: {board: c-firmware}
          inputs:
            - {name: accel_rms, validRange: {min: 0, max: 16}, normalize: {mean: 0.42, std: 0.13}}
            - {name: accel_peak_g, validRange: {min: 0, max: 16}, normalize: {mean: 1.1, std: 0.4}}
            - {name: temperature_c, validRange: {min: -40, max: 125}, normalize: {min: -40, max: 125}}
            - {name: motor_current_a, validRange: {min: 0, max: 60}, normalize: {mean: 12.5, std: 3.0}}
          decision: {output: 0, threshold: 0.8, minConsecutive: 3}
          telemetry: {reportIntervalSeconds: 5}
          connectivity: {offlineAfterSeconds: 90}
        """
            .formatted(GROUP);
    return client
        .resources(DeviceGroup.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .item();
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
  }

  private void configMap(String ns, String name, byte[] model, String selfTest) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .addToBinaryData("model.tflite", Base64.getEncoder().encodeToString(model))
                .addToData("selftest.json", selfTest)
                .build())
        .create();
  }

  private void rollout(
      String ns, String name, String version, String configMap, byte[] model, String strategy) {
    String yaml =
        """
        apiVersion: fieldproof.io/v1alpha1
        kind: ModelRollout
        metadata:
          name: %s
        spec:
          deviceGroup: %s
          model:
            name: vibration-anomaly
            version: %s
            sha256: %s
            source:
              configMap: {name: %s, key: model.tflite}
            selfTest:
              configMap: {name: %s, key: selftest.json}
        %s"""
            .formatted(
                name, GROUP, version, Sha256.hex(model), configMap, configMap, strategy.indent(2));
    client
        .resource(
            client
                .resources(ModelRollout.class)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .item())
        .inNamespace(ns)
        .create();
  }

  private ModelRolloutStatus awaitPhase(
      FirmwareGateway gateway,
      String ns,
      String name,
      Phase phase,
      Path dir,
      Consumer<ModelRolloutStatus> more) {
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              gateway.requireAlive();
              ModelRolloutStatus status = status(ns, name);
              String seen =
                  (status == null ? "no status" : status.phase + ": " + status.message)
                      + " (logs in "
                      + dir
                      + ")";
              assertThat(status).as(seen).isNotNull();
              assertThat(status.phase).as(seen).isEqualTo(phase);
              more.accept(status);
            });
    return status(ns, name);
  }

  private ModelRolloutStatus status(String ns, String name) {
    ModelRollout rollout =
        client.resources(ModelRollout.class).inNamespace(ns).withName(name).get();
    return rollout == null ? null : rollout.getStatus();
  }

  private static String golden(String model) throws IOException {
    return Files.readString(fixture(model + ".golden.json"));
  }

  /** The golden vectors with every expected output one step off: a self-test that must fail. */
  private static String skewed(String golden) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(golden);
    for (JsonNode vector : root.get("vectors")) {
      for (JsonNode output : vector.get("output")) {
        ArrayNode values = (ArrayNode) output;
        for (int i = 0; i < values.size(); i++) {
          int value = values.get(i).asInt();
          values.set(i, value == 127 ? 126 : value + 1);
        }
      }
    }
    return JSON.writeValueAsString(root);
  }
}
