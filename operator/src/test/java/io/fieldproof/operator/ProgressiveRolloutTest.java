package io.fieldproof.operator;

import static io.fieldproof.operator.RolloutConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec.Verdict;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.protocol.capture.CaptureTrigger;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Progressive rollouts end to end: the operator against a real API server and a real Mosquitto,
 * real edge agents updating emulated ESP32 devices over their runtime protocol. The devices start
 * on dense_anomaly (1.3.0); the rollouts bring its next version, or a build that alarms on normal
 * data, and are judged by what the devices then do.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class ProgressiveRolloutTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] v1 = ModelFixtures.bytes("dense_anomaly.tflite");
  private final byte[] v2 = ModelFixtures.bytes("dense_anomaly_v2.tflite");
  private final byte[] alarming = ModelFixtures.bytes("dense_anomaly_alarming.tflite");
  private final GroupAwait awaitGroup = new GroupAwait(client, WAIT);
  private final RolloutAwait awaitRollout = new RolloutAwait(client, WAIT);

  @Test
  void aCanaryPausesForAPromoteThenEveryDeviceRunsTheNewModel() throws Exception {
    String ns = plane.createNamespace("rollout-canary");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 100, 5, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 5);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-1-4-0",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 20}, {pause: {}}, {setPercent: 100}]
            maxConcurrent: 2
            trial: 2s
          gates:
            minDevices: 1
            rules:
              - {metric: alarmRate, maxRatioToBaseline: 3}
              - {metric: selfTestFailures, max: 0}
          """);

      ModelRollout paused =
          awaitRollout.until(
              ns,
              "vib-1-4-0",
              r -> {
                assertThat(r.getStatus().phase).isEqualTo(Phase.PAUSED);
                assertThat(r.getStatus().currentStep).isEqualTo(2);
                assertThat(r.getStatus().devices.updated).isEqualTo(1);
              });
      assertThat(paused.getStatus().devices.targeted).isEqualTo(5);
      assertThat(paused.getStatus().message).contains("fieldproof.io/promote=2");
      assertThat(condition(paused, "Reconciling")).isEqualTo("True/ManualPause");
      assertThat(gw.running(v2)).hasSize(1);
      String canary = gw.running(v2).get(0);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(gw.running(v2)).containsExactly(canary));
      assertThat(group(ns).getStatus().activeRollout).isEqualTo("vib-1-4-0");
      assertModelEditRefused(ns, "vib-1-4-0");

      promote(ns, "vib-1-4-0", 2);

      awaitRollout.until(
          ns,
          "vib-1-4-0",
          r -> {
            assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
            assertThat(r.getStatus().devices.updated).isEqualTo(5);
          });
      assertThat(gw.running(v2)).hasSize(5);
      plane
          .kubectl()
          .run(
              "wait",
              "-n",
              ns,
              "--for=condition=Complete",
              "modelrollout/vib-1-4-0",
              "--timeout=10s");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                DeviceGroup group = group(ns);
                assertThat(group.getStatus().currentModel).isNotNull();
                assertThat(group.getStatus().currentModel.sha256).isEqualTo(Sha256.hex(v2));
                assertThat(group.getStatus().activeRollout).isNull();
              });
      assertThat(eventReasons(ns, "vib-1-4-0"))
          .contains("Progressing", "StepStarted", "PausedManualPause", "Succeeded");

      // a finished rollout is not a way to push another model to the whole group at once
      assertModelEditRefused(ns, "vib-1-4-0");
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(gw.running(v2)).hasSize(5));
    }
  }

  /** kubectl's edit of the model of a rollout is refused by the API server, saying what to do. */
  private void assertModelEditRefused(String ns, String name) {
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
                "{\"spec\":{\"model\":{\"version\":\"9.9.9\"}}}");
    assertThat(result.exitCode()).as("kubectl patch of spec.model").isNotZero();
    assertThat(result.stderr())
        .contains("spec.model")
        .contains("cannot change once the rollout exists: create a new ModelRollout");
    assertThat(
            client
                .resources(ModelRollout.class)
                .inNamespace(ns)
                .withName(name)
                .get()
                .getSpec()
                .model
                .version)
        .isNotEqualTo("9.9.9");
  }

  @Test
  void aModelThatRaisesTheAlarmRateIsRolledBackFromTheOtherSlot() throws Exception {
    String ns = plane.createNamespace("rollout-alarming");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 200, 5, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 5);
      ModelConfigMaps.createFromFixture(client, ns, "vib-bad", "dense_anomaly_alarming");
      applyRollout(
          ns,
          "vib-bad",
          "vib-bad",
          alarming,
          """
          strategy:
            steps: [{setPercent: 40}, {pause: {duration: 5m}}, {setPercent: 100}]
            maxConcurrent: 2
            trial: 2s
          gates:
            minDevices: 1
            rules:
              - {metric: alarmSampleRate, maxRatioToBaseline: 3}
          """);

      ModelRollout rolledBack =
          awaitRollout.until(
              ns,
              "vib-bad",
              r -> {
                assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK);
                assertThat(r.getStatus().devices.updated).isZero();
              });
      assertThat(condition(rolledBack, "Failed")).isEqualTo("True/GateFailed");
      assertThat(condition(rolledBack, "Stalled")).isEqualTo("True/GateFailed");
      assertThat(condition(rolledBack, "Reconciling")).startsWith("False/");
      assertThat(rolledBack.getStatus().message).contains("alarmSampleRate");
      assertThat(rolledBack.getStatus().gates)
          .anySatisfy(g -> assertThat(g.result.name()).isEqualTo("FAIL"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(gw.running(v1)).hasSize(5));
      assertThat(eventReasons(ns, "vib-bad")).contains("RolledBack", "GatesEvaluated");
    }
  }

  @Test
  void windowsLabeledFalseAlarmUnderTheCanarysModelRollItBack() throws Exception {
    String ns = plane.createNamespace("rollout-false-alarms");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 200, 5, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 5);
      String device = gw.emulators().get(0).deviceId();
      for (int i = 0; i < 12; i++) {
        label(ns, Sha256.hex(v1), device, i, i < 10 ? Verdict.TRUE_ALARM : Verdict.FALSE_ALARM);
      }
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(group(ns).getStatus().falseAlarms)
                      .singleElement()
                      .satisfies(
                          m -> {
                            assertThat(m.modelSha256).isEqualTo(Sha256.hex(v1));
                            assertThat(m.labeledAlarms).isEqualTo(12);
                            assertThat(m.falseAlarmRate).isEqualTo(0.167);
                          }));
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-v2",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 40}, {pause: {duration: 5m}}, {setPercent: 100}]
            maxConcurrent: 2
            trial: 2s
          gates:
            minDevices: 1
            minLabeledWindows: 5
            rules:
              - {metric: falseAlarmRate, maxRatioToBaseline: 2}
          """);
      ModelRollout waiting =
          awaitRollout.until(
              ns,
              "vib-v2",
              r -> {
                assertThat(r.getStatus().devices.updated).isEqualTo(2);
                assertThat(r.getStatus().gates)
                    .singleElement()
                    .satisfies(g -> assertThat(g.result.name()).isEqualTo("INCONCLUSIVE"));
              });
      assertThat(waiting.getStatus().phase).isNotEqualTo(Phase.ROLLED_BACK);

      for (int i = 0; i < 8; i++) {
        label(ns, Sha256.hex(v2), device, 100 + i, Verdict.FALSE_ALARM);
      }

      ModelRollout rolledBack =
          awaitRollout.until(
              ns, "vib-v2", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK));
      assertThat(condition(rolledBack, "Failed")).isEqualTo("True/GateFailed");
      assertThat(rolledBack.getStatus().message)
          .contains("falseAlarmRate 1.000 > 0.4615 over 8 labeled alarm windows");
      await().atMost(WAIT).untilAsserted(() -> assertThat(gw.running(v1)).hasSize(5));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(group(ns).getStatus().falseAlarms)
                      .extracting(m -> m.modelSha256 + "=" + m.falseAlarmRate)
                      .containsExactlyInAnyOrder(
                          Sha256.hex(v1) + "=0.167", Sha256.hex(v2) + "=1.0"));
    }
  }

  /** A person's label on one alarm window the device captured under {@code modelSha256}. */
  private void label(String ns, String modelSha256, String device, int sequence, Verdict verdict) {
    CaptureLabel label = new CaptureLabel();
    label.setMetadata(
        new ObjectMetaBuilder()
            .withName("window-" + modelSha256.substring(0, 8) + "-" + sequence)
            .build());
    label.setSpec(new CaptureLabelSpec());
    label.getSpec().window =
        new CaptureKey(
                ns,
                "pump-vibration",
                modelSha256,
                CaptureTrigger.ALARM,
                device,
                1_765_000_000_000L + sequence,
                String.format("%012x", sequence))
            .key();
    label.getSpec().label = verdict;
    client.resource(label).inNamespace(ns).create();
  }

  @Test
  void selfTestFailuresPastTheLimitAbortTheRollout() throws Exception {
    String ns = plane.createNamespace("rollout-selftest");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 300, 4, b -> {})) {
      gw.emulators().forEach(e -> e.skewSelfTests(7));
      applyGroup(ns, 90);
      awaitGroup.online(ns, 4);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-skewed",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 100}]
            maxConcurrent: 4
            retries: 0
            trial: 2s
          abort:
            maxFailedDevices: 1
          """);

      ModelRollout aborted =
          awaitRollout.until(
              ns, "vib-skewed", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK));
      assertThat(condition(aborted, "Failed")).isEqualTo("True/Aborted");
      assertThat(aborted.getStatus().devices.failed).isGreaterThan(1);
      assertThat(aborted.getStatus().failures)
          .isNotEmpty()
          .allSatisfy(f -> assertThat(f.reason).as(f.message).isEqualTo("SelfTestMismatch"));
      assertThat(gw.running(v1)).hasSize(4);
    }
  }

  @Test
  void anOfflineDeviceHoldsTheStepUntilItRejoinsAndConverges() throws Exception {
    String ns = plane.createNamespace("rollout-offline");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 400, 3, b -> {})) {
      EmulatedGateway away = fleet(ns, "gw-2", 410, 1, b -> {});
      String late = away.deviceIds().get(0);
      applyGroup(ns, 10);
      awaitGroup.online(ns, 4);
      away.close();
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(group(ns).getStatus().devices.online).isEqualTo(3));
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-offline",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 100}]
            maxConcurrent: 4
            trial: 2s
            offlineDevices: wait
          """);

      ModelRollout waiting =
          awaitRollout.until(
              ns,
              "vib-offline",
              r -> {
                assertThat(r.getStatus().devices.updated).isEqualTo(3);
                assertThat(r.getStatus().devices.offline).isEqualTo(1);
              });
      assertThat(waiting.getStatus().phase).isEqualTo(Phase.PROGRESSING);
      assertThat(waiting.getStatus().message).contains("waiting for 1 offline");

      try (EmulatedGateway back = fleet(ns, "gw-2", 410, 1, b -> {})) {
        assertThat(back.deviceIds()).containsExactly(late);
        awaitRollout.until(
            ns,
            "vib-offline",
            r -> {
              assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
              assertThat(r.getStatus().devices.updated).isEqualTo(4);
            });
        assertThat(back.running(v2)).containsExactly(late);
      }
    }
  }

  @Test
  void devicesThatCannotRevertAreNeverCanariesAndARollbackNamesThem() throws Exception {
    String ns = plane.createNamespace("rollout-revert");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 700, 2, b -> {});
        EmulatedGateway blank =
            EmulatedGateway.start(ns, "gw-2", Chip.ESP32, 710, 3, PUMP_LABELS)) {
      List<String> fresh = blank.deviceIds();
      applyGroup(ns, 90);
      awaitGroup.online(ns, 5);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-revert",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 40}, {pause: {}}, {setPercent: 100}, {pause: {}}]
            maxConcurrent: 5
            trial: 2s
          """);

      ModelRollout canary =
          awaitRollout.until(
              ns,
              "vib-revert",
              r -> {
                assertThat(r.getStatus().currentStep).isEqualTo(2);
                assertThat(r.getStatus().devices.updated).isEqualTo(2);
              });
      assertThat(canary.getStatus().devices.cannotRevert)
          .as("the three devices that run no model have none to return to")
          .isEqualTo(3);
      assertThat(gw.running(v2)).hasSize(2);
      assertThat(blank.running(v2)).as("no device that cannot revert is a canary").isEmpty();

      promote(ns, "vib-revert", 2);
      awaitRollout.until(
          ns,
          "vib-revert",
          r -> {
            assertThat(r.getStatus().currentStep).isEqualTo(4);
            assertThat(r.getStatus().devices.updated).isEqualTo(5);
          });
      plane
          .kubectl()
          .run("annotate", "-n", ns, "modelrollout/vib-revert", "fieldproof.io/abort=true");

      ModelRollout rolledBack =
          awaitRollout.until(
              ns,
              "vib-revert",
              r -> {
                assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK);
                assertThat(r.getStatus().devices.notReturned).isEqualTo(3);
              });
      assertThat(rolledBack.getStatus().notReturned)
          .extracting(d -> d.device)
          .containsExactlyInAnyOrderElementsOf(fresh);
      assertThat(rolledBack.getStatus().notReturned)
          .allSatisfy(d -> assertThat(d.reason).isEqualTo("NoPreviousModel"));
      assertThat(rolledBack.getStatus().message)
          .contains("3 devices cannot return to a previous model")
          .contains(fresh);
      assertThat(condition(rolledBack, "Failed")).isEqualTo("True/AbortedByUser");
      await().atMost(WAIT).untilAsserted(() -> assertThat(gw.running(v1)).hasSize(2));
      assertThat(blank.running(v2)).containsExactlyInAnyOrderElementsOf(fresh);
    }
  }

  @Test
  void aCanaryThatKeepsRebootingFailsTheRebootsGateAsACrashLoop() throws Exception {
    String ns = plane.createNamespace("rollout-crashloop");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 800, 2, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 2);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-looping",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 50}, {pause: {duration: 10m}}, {setPercent: 100}]
            trial: 2s
          gates:
            minDevices: 1
            rules:
              - {metric: reboots, max: 2}
          """);
      awaitRollout.until(
          ns, "vib-looping", r -> assertThat(r.getStatus().devices.updated).isEqualTo(1));
      DeviceEmulator looping =
          gw.emulators().stream()
              .filter(e -> gw.running(v2).contains(e.deviceId()))
              .findFirst()
              .orElseThrow();

      // the canary resets every few seconds, as a model that crashes the firmware would make it
      ModelRollout rolledBack =
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofSeconds(3))
              .until(
                  () -> {
                    ModelRollout seen =
                        client
                            .resources(ModelRollout.class)
                            .inNamespace(ns)
                            .withName("vib-looping")
                            .get();
                    // no reset once rolled back: one in the middle of the switch back would
                    // fail the return the test then waits for
                    if (seen.getStatus() == null || seen.getStatus().phase != Phase.ROLLED_BACK) {
                      looping.reset();
                    }
                    return seen;
                  },
                  r -> r.getStatus() != null && r.getStatus().phase == Phase.ROLLED_BACK);
      assertThat(condition(rolledBack, "Failed")).isEqualTo("True/CrashLoop");
      assertThat(rolledBack.getStatus().message)
          .contains("rebooted")
          .contains(looping.deviceId())
          .contains("crash loop");
      assertThat(looping.resets()).isGreaterThan(2);
      await().atMost(WAIT).untilAsserted(() -> assertThat(gw.running(v1)).hasSize(2));
    }
  }

  @Test
  void aNewerRolloutSupersedesOneThatIsMidway() throws Exception {
    String ns = plane.createNamespace("rollout-supersede");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 500, 4, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 4);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-first",
          "vib-v2",
          v2,
          """
          strategy:
            steps: [{setPercent: 25}, {pause: {}}, {setPercent: 100}]
            trial: 2s
          """);
      awaitRollout.until(
          ns, "vib-first", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.PAUSED));
      assertThat(gw.running(v2)).hasSize(1);

      ModelConfigMaps.createFromFixture(client, ns, "vib-v1", "dense_anomaly");
      applyRollout(
          ns,
          "vib-second",
          "vib-v1",
          v1,
          """
          strategy:
            steps: [{setPercent: 100}]
            trial: 2s
          """);

      awaitRollout.until(
          ns, "vib-first", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.SUPERSEDED));
      awaitRollout.until(
          ns,
          "vib-second",
          r -> {
            assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
            assertThat(r.getStatus().devices.updated).isEqualTo(4);
          });
      assertThat(gw.running(v1)).hasSize(4);
      assertThat(group(ns).getStatus().currentModel.sha256).isEqualTo(Sha256.hex(v1));
    }
  }

  @Test
  void specPausedHoldsTheRolloutAndClearingItResumes() throws Exception {
    String ns = plane.createNamespace("rollout-paused");
    try (EmulatedGateway gw = fleet(ns, "gw-1", 600, 3, b -> {})) {
      applyGroup(ns, 90);
      awaitGroup.online(ns, 3);
      ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(
          ns,
          "vib-held",
          "vib-v2",
          v2,
          """
          paused: true
          strategy:
            steps: [{setPercent: 100}]
            trial: 2s
          """);

      awaitRollout.until(
          ns,
          "vib-held",
          r -> {
            assertThat(r.getStatus().phase).isEqualTo(Phase.PAUSED);
            assertThat(r.getStatus().message).contains("spec.paused");
          });
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(gw.running(v2)).isEmpty());

      client
          .resources(ModelRollout.class)
          .inNamespace(ns)
          .withName("vib-held")
          .edit(
              r -> {
                r.getSpec().paused = false;
                return r;
              });

      awaitRollout.until(
          ns, "vib-held", r -> assertThat(r.getStatus().phase).isEqualTo(Phase.SUCCEEDED));
      assertThat(gw.running(v2)).hasSize(3);
    }
  }

  private EmulatedGateway fleet(
      String ns, String gateway, long seed, int count, Consumer<DeviceEmulator.Builder> setup)
      throws IOException {
    return EmulatedGateway.start(
        ns,
        gateway,
        Chip.ESP32,
        seed,
        count,
        PUMP_LABELS,
        builder -> {
          builder.activeModel("vibration-anomaly", "1.3.0", v1);
          setup.accept(builder);
        });
  }

  /**
   * The sample pump group, with offline members noticed after {@code offlineAfterSeconds} and
   * health reported every second (the sample's 30 s would make each gate wait for the next report).
   */
  private void applyGroup(String ns, int offlineAfterSeconds) {
    SampleGroups.createPumpVibration(
        client,
        ns,
        group -> {
          group.getSpec().connectivity.offlineAfterSeconds = offlineAfterSeconds;
          group.getSpec().telemetry.reportIntervalSeconds =
              Math.min(group.getSpec().telemetry.reportIntervalSeconds, offlineAfterSeconds / 2);
        });
  }

  private void applyRollout(
      String ns, String name, String configMap, byte[] model, String strategyAndGates) {
    String version = "1.4." + Math.abs(name.hashCode() % 100);
    RolloutManifests.create(
        client,
        ns,
        RolloutManifests.pumpVibration(name, version, model, configMap, strategyAndGates));
  }

  private void promote(String ns, String name, int step) {
    plane
        .kubectl()
        .run(
            "annotate",
            "-n",
            ns,
            "modelrollout/" + name,
            "fieldproof.io/promote=" + step,
            "--overwrite");
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
  }

  private List<String> eventReasons(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }
}
