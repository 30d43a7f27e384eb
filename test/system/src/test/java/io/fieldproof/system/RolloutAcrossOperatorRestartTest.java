package io.fieldproof.system;

import static io.fieldproof.system.RolloutFixtures.cleanDir;
import static io.fieldproof.system.RolloutFixtures.fixture;
import static io.fieldproof.system.RolloutFixtures.pause;
import static io.fieldproof.system.RolloutFixtures.percent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.StrategySpec;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.UpdateAttempt;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A progressive rollout outlives its operator. Six emulated ESP32 pumps run dense_anomaly 1.3.0;
 * the sample's rollout of 1.4.0 (dense_anomaly_v2) goes to half of them and waits at a manual
 * pause; the operator process is killed there (SIGKILL) and a new one started. Promoted, the new
 * operator finishes the rollout from the status the first one left, and no device is flashed twice:
 * each reports exactly one update outcome, ModelConfirmed, and the three done before the restart
 * keep the update they reported then.
 */
class RolloutAcrossOperatorRestartTest {

  private static final String GROUP = "pump-vibration";
  private static final String ROLLOUT = "vib-anomaly-1-4-0";
  private static final int DEVICES = 6;
  private static final Duration JOIN = Duration.ofSeconds(90);
  private static final Duration STEP = Duration.ofMinutes(3);

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void anOperatorRestartedMidwayCompletesTheRolloutWithoutReflashingDevicesAlreadyDone()
      throws Exception {
    String ns = plane.createNamespace("rollout-restart");
    Path dir = cleanDir(Path.of("target", "rollout-restart").toAbsolutePath());
    Path sample = ProjectPaths.root().resolve("samples/esp32-vibration");
    String oldSha = Sha256.hex(Files.readAllBytes(fixture("dense_anomaly.tflite")));
    String newSha = Sha256.hex(Files.readAllBytes(fixture("dense_anomaly_v2.tflite")));
    GatewayProcesses.Spec pumps =
        new GatewayProcesses.Spec(
            ns,
            "gw-pumps",
            DEVICES,
            300,
            fixture("dense_anomaly.tflite"),
            "1.3.0",
            "{line: \"3\", sensor: vibration}");

    try (MosquittoBroker broker = MosquittoBroker.start();
        DeviceTopics topics = DeviceTopics.subscribe(broker.uri(), ns);
        GatewayProcesses gateway =
            GatewayProcesses.start(pumps, broker.uri(), dir.resolve("gw-pumps"))) {
      List<String> devices = gateway.deviceIds();
      OperatorProcess first =
          OperatorProcess.start(plane.kubeconfig(), broker.uri(), dir.resolve("operator-1.log"));
      OperatorProcess second = null;
      OperatorProcess third = null;
      try {
        apply(ns, sample.resolve("devicegroup.yaml"));
        reportEverySecond(ns);
        apply(ns, sample.resolve("model-configmap.yaml"));
        awaitJoined(ns, topics, devices, oldSha);

        client.resource(rollout(sample.resolve("modelrollout.yaml"))).inNamespace(ns).create();

        awaitRollout(
            ns, dir, Phase.PAUSED, 3, status -> assertThat(status.currentStep).isEqualTo(2));
        Map<String, UpdateAttempt> early = updatesOfDevicesOn(topics, devices, newSha);
        assertThat(early).as("the devices of step 1 (50 %%)").hasSize(3);
        devices.stream()
            .filter(id -> !early.containsKey(id))
            .forEach(id -> assertThat(topics.events(id, "update")).as(id).isEmpty());

        first.kill();
        second =
            OperatorProcess.start(plane.kubeconfig(), broker.uri(), dir.resolve("operator-2.log"));
        plane
            .kubectl()
            .run(
                "annotate",
                "-n",
                ns,
                "modelrollout",
                ROLLOUT,
                "fieldproof.io/promote=2",
                "--overwrite");

        awaitRollout(ns, dir, Phase.SUCCEEDED, DEVICES, status -> {});
        assertThat(condition(ns, "Complete")).isEqualTo("True");
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertEachFlashedOnce(topics, devices, newSha));
        assertThat(updatesOfDevicesOn(topics, early.keySet().stream().toList(), newSha))
            .as("the update each early device reported before the restart")
            .isEqualTo(early);
        devices.forEach(
            id ->
                assertThat(topics.desired(id).map(d -> d.model()).map(ModelRef::sha256))
                    .as("the model %s is told to run", id)
                    .contains(newSha));
        assertThat(topics.violations()).isEmpty();

        // A finished rollout is a record: an operator that starts afresh (an upgrade, a new
        // leader) judges nothing again, so its status, gate results included, stays as it was.
        ModelRolloutStatus finished = status(ns);
        second.kill();
        third =
            OperatorProcess.start(plane.kubeconfig(), broker.uri(), dir.resolve("operator-3.log"));
        await()
            .during(Duration.ofSeconds(15))
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(status(ns)).usingRecursiveComparison().isEqualTo(finished));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
        if (third != null) {
          third.close();
        }
      }
    }
  }

  /** Every device runs the new model, confirmed, after exactly one update: ModelConfirmed. */
  private static void assertEachFlashedOnce(
      DeviceTopics topics, List<String> devices, String newSha) {
    for (String id : devices) {
      ReportedState twin = topics.reported(id).orElseThrow();
      assertThat(twin.slots().activeModel().sha256()).as("the model %s runs", id).isEqualTo(newSha);
      assertThat(twin.slots().onTrial()).as("%s on trial", id).isFalse();
      assertThat(topics.events(id, "update"))
          .as("the update outcomes %s reported", id)
          .extracting(DeviceEvent::reason)
          .containsExactly("ModelConfirmed");
    }
  }

  /** The update each device on {@code sha} reported, by device. */
  private static Map<String, UpdateAttempt> updatesOfDevicesOn(
      DeviceTopics topics, List<String> devices, String sha) {
    Map<String, UpdateAttempt> updates = new LinkedHashMap<>();
    for (String id : devices) {
      Optional<ReportedState> twin = topics.reported(id);
      ModelRef active = twin.map(ReportedState::slots).map(s -> s.activeModel()).orElse(null);
      if (active != null && sha.equals(active.sha256())) {
        updates.put(id, twin.get().update());
      }
    }
    return updates;
  }

  /** The sample's rollout with a strategy a test can wait for: half, a manual pause, all. */
  private ModelRollout rollout(Path file) {
    ModelRollout rollout = client.resources(ModelRollout.class).load(file.toFile()).item();
    StrategySpec strategy = new StrategySpec();
    strategy.steps = List.of(percent(50), pause(null), percent(100));
    strategy.maxConcurrent = new IntOrString(3);
    strategy.deviceTimeout = "2m";
    strategy.retries = 1;
    strategy.trial = "2s";
    rollout.getSpec().strategy = strategy;
    return rollout;
  }

  private void awaitJoined(String ns, DeviceTopics topics, List<String> devices, String oldSha) {
    await()
        .atMost(JOIN)
        .untilAsserted(
            () -> {
              DeviceGroup group =
                  client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
              assertThat(group.getStatus()).isNotNull();
              assertThat(group.getStatus().devices.online).isEqualTo(DEVICES);
              assertThat(updatesOfDevicesOn(topics, devices, oldSha)).hasSize(DEVICES);
            });
  }

  /**
   * Waits for the rollout to reach {@code phase} with {@code updated} devices updated out of all
   * six, and {@code more} to hold.
   */
  private void awaitRollout(
      String ns, Path dir, Phase phase, int updated, Consumer<ModelRolloutStatus> more) {
    await()
        .atMost(STEP)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              ModelRolloutStatus status = status(ns);
              String seen = describe(status) + " (operator logs in " + dir + ")";
              assertThat(status).as(seen).isNotNull();
              assertThat(status.phase).as(seen).isEqualTo(phase);
              assertThat(status.devices.updated).as(seen).isEqualTo(updated);
              assertThat(status.devices.targeted).as(seen).isEqualTo(DEVICES);
              more.accept(status);
            });
  }

  private ModelRolloutStatus status(String ns) {
    ModelRollout rollout =
        client.resources(ModelRollout.class).inNamespace(ns).withName(ROLLOUT).get();
    return rollout == null ? null : rollout.getStatus();
  }

  private String condition(String ns, String type) {
    return status(ns).conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }

  private static String describe(ModelRolloutStatus status) {
    if (status == null) {
      return "no status";
    }
    return "phase "
        + status.phase
        + ", step "
        + status.currentStep
        + ", updated "
        + (status.devices == null ? "?" : status.devices.updated + "/" + status.devices.targeted)
        + ", failures "
        + (status.failures == null ? 0 : status.failures.size())
        + ": "
        + status.message;
  }

  /**
   * The sample reports health every 30 s; the test's short steps want each gate judged on fresh
   * counts, so its group reports every second (telemetry stays editable under configUpdates).
   */
  private void reportEverySecond(String ns) {
    plane
        .kubectl()
        .run(
            "patch",
            "-n",
            ns,
            "devicegroup",
            GROUP,
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"telemetry\":{\"reportIntervalSeconds\":1}}}");
  }

  private void apply(String ns, Path file) {
    plane.kubectl().run("apply", "--server-side", "-n", ns, "-f", file.toString());
  }
}
