package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.WaitingDevice;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Maintenance windows and device conditions end to end: the operator against a real API server and
 * Mosquitto, a real edge agent and emulated ESP32 pumps that report their battery and Wi-Fi RSSI. A
 * rollout applied before its window opens waits for it, then waits for the device whose battery is
 * low, and neither wait counts as a failure or runs into the device deadline.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class MaintenanceWindowRolloutTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String MODELS = "model/fixtures/models/";
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] v1 = fixture("dense_anomaly.tflite");
  private final byte[] v2 = fixture("dense_anomaly_v2.tflite");

  @Test
  void aRolloutWaitsForADevicesBatteryAndTheNextWindowWithoutCountingItFailed() throws Exception {
    String ns = plane.createNamespace("rollout-window");
    try (EmulatedGateway gw =
        EmulatedGateway.start(
            ns,
            "gw-1",
            Chip.ESP32,
            300,
            3,
            PUMP_LABELS,
            b -> b.activeModel("vibration-anomaly", "1.3.0", v1).battery(80, 0).link(-55))) {
      DeviceEmulator low = gw.emulators().get(0);
      low.vitals().battery(12, 0);
      applyGroup(ns);
      awaitMembers(ns, 3);
      applyModel(ns, "vib-v2", "dense_anomaly_v2");
      // a window of an hour that opens 20 s from now, written in Berlin time with seconds
      Instant opens = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
      ZonedDateTime local = opens.atZone(BERLIN);
      String schedule =
          "%d %d %d * * *".formatted(local.getSecond(), local.getMinute(), local.getHour());
      applyRollout(
          ns,
          "vib-window",
          """
          maintenanceWindows:
            - {schedule: "%s", duration: 1h, timeZone: Europe/Berlin}
          deviceConditions: {minBatteryPercent: 30, minLinkQuality: 50}
          strategy:
            steps: [{setPercent: 100}]
            maxConcurrent: 3
            trial: 2s
            deviceTimeout: 8s
            retries: 0
          """
              .formatted(schedule));

      ModelRollout beforeWindow =
          awaitRollout(
              ns,
              "vib-window",
              r -> {
                assertThat(r.getStatus().phase).isEqualTo(Phase.PROGRESSING);
                assertThat(r.getStatus().devices.waitingForWindow).isEqualTo(3);
              });
      assertThat(Instant.now()).as("seen waiting before the window opened").isBefore(opens);
      assertThat(beforeWindow.getStatus().maintenanceWindow.open).isFalse();
      assertThat(beforeWindow.getStatus().maintenanceWindow.opensAt).isEqualTo(opens.toString());
      assertThat(beforeWindow.getStatus().message)
          .contains(
              "waiting for maintenance window (opens "
                  + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(local)
                  + " Europe/Berlin)");
      assertThat(condition(beforeWindow, "Progressing")).isEqualTo("True/WaitingForWindow");
      assertThat(beforeWindow.getStatus().devices.failed).isZero();
      assertThat(beforeWindow.getStatus().devices.pending).isZero();
      assertThat(beforeWindow.getStatus().waiting)
          .extracting(w -> w.reason)
          .containsOnly("MaintenanceWindow");
      assertThat(running(gw, v2)).isEmpty();

      ModelRollout waitingForBattery =
          awaitRollout(
              ns,
              "vib-window",
              r -> {
                assertThat(r.getStatus().devices.updated).isEqualTo(2);
                assertThat(r.getStatus().devices.waitingForCondition).isEqualTo(1);
              });
      assertThat(Instant.now()).isAfterOrEqualTo(opens);
      assertThat(waitingForBattery.getStatus().maintenanceWindow.open).isTrue();
      assertThat(waitingForBattery.getStatus().devices.waitingForWindow).isZero();
      WaitingDevice waiting = waitingForBattery.getStatus().waiting.get(0);
      assertThat(waiting.device).isEqualTo(low.deviceId());
      assertThat(waiting.reason).isEqualTo("LowBattery");
      assertThat(waiting.message)
          .isEqualTo("battery 12 % is below spec.deviceConditions.minBatteryPercent 30 %");
      assertThat(condition(waitingForBattery, "Progressing"))
          .isEqualTo("True/WaitingForDeviceConditions");
      assertThat(waitingForBattery.getStatus().message)
          .contains("1 device waiting for device conditions: " + low.deviceId());
      // longer than the 8 s device deadline: waiting runs no deadline and fails nothing
      await()
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ModelRollout r = rollout(ns, "vib-window");
                assertThat(r.getStatus().phase).isEqualTo(Phase.PROGRESSING);
                assertThat(r.getStatus().devices.failed).isZero();
                assertThat(r.getStatus().devices.waitingForCondition).isEqualTo(1);
                assertThat(running(gw, v2)).doesNotContain(low.deviceId()).hasSize(2);
              });

      low.vitals().battery(45, 0);

      ModelRollout done =
          awaitRollout(
              ns, "vib-window", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED));
      assertThat(done.getStatus().devices.updated).isEqualTo(3);
      assertThat(done.getStatus().devices.failed).isZero();
      assertThat(done.getStatus().devices.waitingForCondition).isZero();
      assertThat(done.getStatus().waiting).isNull();
      assertThat(running(gw, v2)).hasSize(3);
    }
  }

  @Test
  void aWindowThatCannotBeReadIsRefusedNamingTheField() throws Exception {
    String ns = plane.createNamespace("rollout-window-invalid");
    applyGroup(ns);
    applyModel(ns, "vib-v2", "dense_anomaly_v2");
    Kubectl.Result refused =
        plane
            .kubectl()
            .exec(
                "apply",
                "-n",
                ns,
                "-f",
                file(
                    rolloutYaml(
                        "vib-four-fields",
                        "maintenanceWindows: [{schedule: \"0 2 * *\", duration: 2h}]")));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("spec.maintenanceWindows[0].schedule");
    Kubectl.Result battery =
        plane
            .kubectl()
            .exec(
                "apply",
                "-n",
                ns,
                "-f",
                file(rolloutYaml("vib-battery", "deviceConditions: {minBatteryPercent: 120}")));
    assertThat(battery.exitCode()).isNotZero();
    assertThat(battery.stderr()).contains("spec.deviceConditions.minBatteryPercent");

    applyRollout(
        ns,
        "vib-hour-25",
        "maintenanceWindows: [{schedule: \"0 25 * * *\", duration: 2h, timeZone: Europe/Berlin}]");
    ModelRollout failed =
        awaitRollout(
            ns, "vib-hour-25", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.FAILED));
    assertThat(condition(failed, "Validated")).isEqualTo("False/InvalidMaintenanceWindow");
    assertThat(failed.getStatus().message)
        .contains("spec.maintenanceWindows[0].schedule: hour \"25\" is outside 0-23");
  }

  /** The sample pump group, reporting health every 2 s so a battery change shows at once. */
  private void applyGroup(String ns) {
    DeviceGroup group =
        client
            .resources(DeviceGroup.class)
            .load(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml").toFile())
            .item();
    group.getSpec().telemetry.reportIntervalSeconds = 2;
    client.resource(group).inNamespace(ns).create();
  }

  private void applyModel(String ns, String name, String fixture) throws IOException {
    byte[] model = fixture(fixture + ".tflite");
    String golden =
        Files.readString(ProjectPaths.root().resolve(MODELS + fixture + ".golden.json"));
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .addToBinaryData("model.tflite", Base64.getEncoder().encodeToString(model))
                .addToData("selftest.json", golden)
                .build())
        .create();
  }

  private static String file(String yaml) throws IOException {
    java.nio.file.Path file = Files.createTempFile("rollout", ".yaml");
    file.toFile().deleteOnExit();
    return Files.writeString(file, yaml).toString();
  }

  private String rolloutYaml(String name, String rest) {
    return """
        apiVersion: fieldproof.io/v1alpha1
        kind: ModelRollout
        metadata:
          name: %s
        spec:
          deviceGroup: pump-vibration
          model:
            name: vibration-anomaly
            version: 1.4.0
            sha256: %s
            source:
              configMap: {name: vib-v2, key: model.tflite}
            selfTest:
              configMap: {name: vib-v2, key: selftest.json}
        %s"""
        .formatted(name, Sha256.hex(v2), rest.indent(2));
  }

  private void applyRollout(String ns, String name, String rest) {
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(
                new ByteArrayInputStream(rolloutYaml(name, rest).getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resource(rollout).inNamespace(ns).create();
  }

  private ModelRollout rollout(String ns, String name) {
    return client.resources(ModelRollout.class).inNamespace(ns).withName(name).get();
  }

  private ModelRollout awaitRollout(String ns, String name, Consumer<ModelRollout> check) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> rollout(ns, name),
            rollout -> {
              if (rollout == null || rollout.getStatus() == null) {
                return false;
              }
              try {
                check.accept(rollout);
                return true;
              } catch (AssertionError | NullPointerException e) {
                return false;
              }
            });
  }

  private void awaitMembers(String ns, int count) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(DeviceGroup.class)
                            .inNamespace(ns)
                            .withName("pump-vibration")
                            .get())
                    .extracting(g -> g.getStatus() == null ? null : g.getStatus().devices)
                    .isNotNull()
                    .extracting(d -> d.online)
                    .isEqualTo(count));
  }

  /** The ids of the gateway's devices whose active slot holds {@code model}. */
  private static List<String> running(EmulatedGateway gw, byte[] model) {
    String sha = Sha256.hex(model);
    return gw.emulators().stream()
        .filter(e -> e.slots().activeModel().map(Sha256::hex).orElse("").equals(sha))
        .map(DeviceEmulator::deviceId)
        .toList();
  }

  private static String condition(ModelRollout rollout, String type) {
    return rollout.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(ProjectPaths.root().resolve(MODELS + name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
