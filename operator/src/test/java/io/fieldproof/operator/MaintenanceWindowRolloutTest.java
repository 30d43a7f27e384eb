package io.fieldproof.operator;

import static io.fieldproof.operator.RolloutConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.WaitingDevice;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
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
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] v1 = ModelFixtures.bytes("dense_anomaly.tflite");
  private final byte[] v2 = ModelFixtures.bytes("dense_anomaly_v2.tflite");
  private final GroupAwait awaitGroup = new GroupAwait(client, WAIT);
  private final RolloutAwait awaitRollout = new RolloutAwait(client, WAIT);

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
      awaitGroup.online(ns, 3);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
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
          awaitRollout.until(
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
      assertThat(gw.running(v2)).isEmpty();

      ModelRollout waitingForBattery =
          awaitRollout.until(
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
                assertThat(gw.running(v2)).doesNotContain(low.deviceId()).hasSize(2);
              });

      low.vitals().battery(45, 0);

      ModelRollout done =
          awaitRollout.until(
              ns, "vib-window", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED));
      assertThat(done.getStatus().devices.updated).isEqualTo(3);
      assertThat(done.getStatus().devices.failed).isZero();
      assertThat(done.getStatus().devices.waitingForCondition).isZero();
      assertThat(done.getStatus().waiting).isNull();
      assertThat(gw.running(v2)).hasSize(3);
    }
  }

  @Test
  void aWindowThatCannotBeReadIsRefusedNamingTheField() throws Exception {
    String ns = plane.createNamespace("rollout-window-invalid");
    applyGroup(ns);
    ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
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
        awaitRollout.until(
            ns, "vib-hour-25", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.FAILED));
    assertThat(condition(failed, "Validated")).isEqualTo("False/InvalidMaintenanceWindow");
    assertThat(failed.getStatus().message)
        .contains("spec.maintenanceWindows[0].schedule: hour \"25\" is outside 0-23");
  }

  /** The sample pump group, reporting health every 2 s so a battery change shows at once. */
  private void applyGroup(String ns) {
    SampleGroups.createPumpVibration(
        client, ns, group -> group.getSpec().telemetry.reportIntervalSeconds = 2);
  }

  private static String file(String yaml) throws IOException {
    java.nio.file.Path file = Files.createTempFile("rollout", ".yaml");
    file.toFile().deleteOnExit();
    return Files.writeString(file, yaml).toString();
  }

  private String rolloutYaml(String name, String rest) {
    return RolloutManifests.pumpVibration(name, "1.4.0", v2, "vib-v2", rest);
  }

  private void applyRollout(String ns, String name, String rest) {
    RolloutManifests.create(client, ns, rolloutYaml(name, rest));
  }

  private ModelRollout rollout(String ns, String name) {
    return client.resources(ModelRollout.class).inNamespace(ns).withName(name).get();
  }
}
