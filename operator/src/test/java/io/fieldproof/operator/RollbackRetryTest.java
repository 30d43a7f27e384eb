package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rollback whose switch back fails on some devices, end to end: the operator against a real API
 * server and Mosquitto, real edge agents and emulated ESP32 pumps. One device resets while the
 * model it returns to is on trial (its agent reports the switch Reverted), another hangs on trial
 * and stays unreachable until it is reset; the operator tries each again, the second only once it
 * answers again, and the rollout's status names them until every device is back.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class RollbackRetryTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String MODELS = "model/fixtures/models/";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] v1 = fixture("dense_anomaly.tflite");
  private final byte[] v2 = fixture("dense_anomaly_v2.tflite");
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final Queue<DesiredState> told = new ConcurrentLinkedQueue<>();
  private MqttSession watcher;

  @BeforeEach
  void watchDesiredStates() throws Exception {
    watcher =
        new MqttSession(
            new MqttSettings(
                FleetTestResource.broker().uri(),
                "rollback-watcher-" + System.nanoTime(),
                null,
                null,
                null,
                true,
                true,
                Duration.ZERO,
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                null),
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
  void aSwitchBackThatFailsIsTriedAgainUntilEveryDeviceIsBack() throws Exception {
    String ns = plane.createNamespace("rollback-retry");
    record(ns);
    try (EmulatedGateway gw =
        EmulatedGateway.start(
            ns,
            "gw-1",
            Chip.ESP32,
            950,
            3,
            PUMP_LABELS,
            b -> b.activeModel("vibration-anomaly", "1.3.0", v1))) {
      DeviceEmulator resets = gw.emulators().get(0);
      DeviceEmulator hangs = gw.emulators().get(1);
      DeviceEmulator clean = gw.emulators().get(2);
      applyGroup(ns);
      await().atMost(WAIT).untilAsserted(() -> assertThat(online(ns)).isEqualTo(3));
      applyModel(ns, "vib-v2", "dense_anomaly_v2");
      applyRollout(ns, "vib-retry", "vib-v2");
      awaitRollout(ns, r -> assertThat(r.getStatus().currentStep).isEqualTo(2));
      assertThat(running(gw, v2)).hasSize(3);

      plane
          .kubectl()
          .run("annotate", "-n", ns, "modelrollout/vib-retry", "fieldproof.io/abort=true");
      // each faulty device fails the switch back while the model it returns to is on trial
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> onTrialWith(resets, v1));
      resets.reset();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> onTrialWith(hangs, v1));
      hangs.hang();

      ModelRollout waiting =
          awaitRollout(
              ns,
              r -> {
                assertThat(r.getStatus().phase).isEqualTo(Phase.ROLLED_BACK);
                assertThat(unreturned(r, hangs.deviceId()))
                    .as("the hung device waits to answer again")
                    .extracting(d -> d.reason)
                    .isEqualTo("ReturnAwaitsDevice");
                assertThat(unreturned(r, resets.deviceId())).isNull();
              });
      assertThat(running(gw, v1))
          .as("the device that reset on trial was switched back by a second attempt")
          .contains(resets.deviceId(), clean.deviceId());
      assertThat(unreturned(waiting, hangs.deviceId()).message)
          .contains("attempt 1 of 3 failed")
          .contains("tried again once it answers");
      assertThat(waiting.getStatus().devices.notReturned).isEqualTo(1);
      assertThat(condition(waiting, "RollbackComplete")).isEqualTo("False/DevicesNotBack");
      assertThat(condition(waiting, "Failed")).isEqualTo("True/AbortedByUser");
      assertThat(waiting.getStatus().message)
          .contains("1 device not back on its previous model yet: " + hangs.deviceId());

      hangs.reset();
      ModelRollout back =
          awaitRollout(
              ns, r -> assertThat(condition(r, "RollbackComplete")).isEqualTo("True/AllReturned"));
      assertThat(running(gw, v1)).hasSize(3);
      assertThat(back.getStatus().notReturned).isNull();
      assertThat(back.getStatus().devices.notReturned).isZero();
      assertThat(back.getStatus().message)
          .contains("every device sent back runs its previous model again");
      assertThat(eventReasons(ns)).contains("RolledBack", "RollbackComplete");

      // devices back are not written again: one retry each for the two faulty devices, none for
      // the third, and no further attempt while the rollout goes on looking after them
      Map<String, List<Integer>> expected =
          Map.of(
              resets.deviceId(), List.of(1, 2),
              hangs.deviceId(), List.of(1, 2),
              clean.deviceId(), List.of(1));
      String written = back.getMetadata().getResourceVersion();
      await()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(12))
          .untilAsserted(
              () -> {
                expected.forEach(
                    (id, attempts) -> assertThat(attemptsTold(id)).isEqualTo(attempts));
                assertThat(rollout(ns).getMetadata().getResourceVersion())
                    .as("a status that does not change is not written again")
                    .isEqualTo(written);
              });
    }
  }

  /** Records every desired state published in {@code ns}. */
  private void record(String ns) throws Exception {
    DesiredStateRecorder.record(watcher, ns, told);
  }

  /** The attempts of the desired states that told {@code device} to run v1, in order. */
  private List<Integer> attemptsTold(String device) {
    String sha = Sha256.hex(v1);
    return told.stream()
        .filter(d -> d.device().equals(device))
        .filter(d -> d.model() != null && d.model().sha256().equals(sha))
        .map(d -> d.attempt() == null ? 1 : d.attempt())
        .distinct()
        .toList();
  }

  private static boolean onTrialWith(DeviceEmulator device, byte[] model) {
    ModelSlots slots = device.slots();
    return slots.activeSlot().flatMap(slots::record).map(r -> r.state()).orElse(null)
            == SlotState.PENDING_VERIFY
        && slots.activeModel().map(m -> Sha256.hex(m).equals(Sha256.hex(model))).orElse(false);
  }

  private static UnreturnedDevice unreturned(ModelRollout rollout, String device) {
    List<UnreturnedDevice> listed = rollout.getStatus().notReturned;
    return listed == null
        ? null
        : listed.stream().filter(d -> d.device.equals(device)).findFirst().orElse(null);
  }

  private void applyGroup(String ns) {
    DeviceGroup group =
        client
            .resources(DeviceGroup.class)
            .load(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml").toFile())
            .item();
    group.getSpec().connectivity.offlineAfterSeconds = 90;
    group.getSpec().telemetry.reportIntervalSeconds =
        Math.min(group.getSpec().telemetry.reportIntervalSeconds, 45);
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

  /**
   * A rollout of v2 to every device, then a manual pause. Every switch runs 20 s on trial: long
   * enough for the agent to tell a device that stopped answering from a few lost frames.
   */
  private void applyRollout(String ns, String name, String configMap) {
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
            version: 1.4.0
            sha256: %s
            source:
              configMap: {name: %s, key: model.tflite}
            selfTest:
              configMap: {name: %s, key: selftest.json}
          strategy:
            steps: [{setPercent: 100}, {pause: {}}]
            maxConcurrent: 3
            trial: 20s
        """
            .formatted(name, Sha256.hex(v2), configMap, configMap);
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resource(rollout).inNamespace(ns).create();
  }

  private ModelRollout awaitRollout(String ns, Consumer<ModelRollout> check) {
    AtomicReference<ModelRollout> seen = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ModelRollout rollout = rollout(ns);
              assertThat(rollout).isNotNull();
              assertThat(rollout.getStatus()).as("status").isNotNull();
              try {
                check.accept(rollout);
              } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nwith status: " + describe(rollout), e);
              }
              seen.set(rollout);
            });
    return seen.get();
  }

  private ModelRollout rollout(String ns) {
    return client.resources(ModelRollout.class).inNamespace(ns).withName("vib-retry").get();
  }

  private static String describe(ModelRollout rollout) {
    List<UnreturnedDevice> listed = rollout.getStatus().notReturned;
    return rollout.getStatus().message
        + "; notReturned: "
        + (listed == null
            ? "none"
            : listed.stream().map(d -> d.device + " " + d.reason + " " + d.message).toList());
  }

  /** The group's online members, -1 before it has a status. */
  private int online(String ns) {
    DeviceGroup group =
        client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
    return group == null || group.getStatus() == null || group.getStatus().devices == null
        ? -1
        : group.getStatus().devices.online;
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

  private List<String> eventReasons(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "vib-retry".equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(ProjectPaths.root().resolve(MODELS + name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
