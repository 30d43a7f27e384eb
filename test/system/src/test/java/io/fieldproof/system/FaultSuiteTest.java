package io.fieldproof.system;

import static io.fieldproof.system.RolloutFixtures.cleanDir;
import static io.fieldproof.system.RolloutFixtures.fixture;
import static io.fieldproof.system.RolloutFixtures.percent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ConnectivitySpec;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.StrategySpec;
import io.fieldproof.api.v1alpha1.TelemetrySpec;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault suite: a rollout over 20 emulated ESP32s on two gateways (real agents and emulators in
 * processes of their own, the operator's jar, Mosquitto, kube-apiserver + etcd), hit by one fault
 * at a time while devices are being updated. After each, the rollout must end Succeeded, every
 * device must run the new model confirmed, no device may be confirmed twice or asked twice without
 * a fault of its own, no rollout Event may repeat ({@link RolloutEventLog}), and the status must
 * tell the truth at the end.
 *
 * <p>Which faults run: the system property {@code fieldproof.faults}, a comma-separated list of
 * {@link Fault} names or {@code all}; the test command runs {@link #SHORT} ({@code
 * scripts/faults.sh} runs all of them).
 */
class FaultSuiteTest {

  /** The faults the test command runs: one for the broker's state, one for the devices' power. */
  static final String SHORT = "BROKER_LOST_RETAINED,POWER_CUT_MID_UPDATE";

  private static final String GROUP = "pump-vibration";
  private static final String ROLLOUT = "vib-anomaly-1-4-0";
  private static final int PER_GATEWAY = 10;
  private static final int DEVICES = 2 * PER_GATEWAY;
  private static final int OFFLINE_AFTER_SECONDS = 20;
  private static final Duration JOIN = Duration.ofSeconds(120);
  private static final Duration FINISH = Duration.ofMinutes(6);
  private static final Set<String> UPDATING =
      Set.of(
          "Downloading",
          "Validating",
          "Writing",
          "Verifying",
          "SelfTesting",
          "Activating",
          "Trial");

  /** One fault each run. */
  enum Fault {
    /** Mosquitto SIGKILLed and started again with its persistence file. */
    BROKER_RESTART,
    /** Mosquitto SIGKILLed and started again without it: every retained message is gone. */
    BROKER_LOST_RETAINED,
    /** The operator SIGKILLed three times while devices update, started again each time. */
    OPERATOR_KILLED_THREE_TIMES,
    /** Gateway A's agent SIGKILLed while one of its devices updates, started again 2 s later. */
    AGENT_KILLED_MID_UPDATE,
    /** Gateway A's devices lose power while one of them updates; their flash is kept. */
    POWER_CUT_MID_UPDATE,
    /** Gateway A cut off (its agent frozen) for longer than the group's offline deadline. */
    GATEWAY_PARTITIONED,
    /** Every device link damages a byte in 10,000, both ways, for the whole rollout. */
    SERIAL_NOISE,
    /** The API server and etcd stopped for 30 s while devices update, then started again. */
    API_SERVER_STOPPED
  }

  static Stream<Fault> faults() {
    String chosen = System.getProperty("fieldproof.faults", SHORT).trim();
    if (chosen.equals("all")) {
      return Arrays.stream(Fault.values());
    }
    return Arrays.stream(chosen.split(",")).map(String::trim).map(Fault::valueOf);
  }

  @ParameterizedTest
  @MethodSource("faults")
  void aRolloutHitByAFaultEndsWhereItShouldAndStatusTellsTheTruth(Fault fault) throws Exception {
    Path dir = cleanDir(Path.of("target", "faults", fault.name()).toAbsolutePath());
    boolean ownPlane = fault == Fault.API_SERVER_STOPPED;
    LocalControlPlane plane =
        ownPlane
            ? LocalControlPlane.start(dir.resolve("controlplane"), exit -> {})
            : LocalControlPlane.shared();
    Run run;
    try {
      run = Run.start(plane, ownPlane, fault, dir);
    } catch (RuntimeException | IOException e) {
      if (ownPlane) {
        plane.stop();
      }
      throw e;
    }
    try (run) {
      run.awaitJoined();
      run.startRollout();
      run.awaitUpdating(run.gatewayA);
      run.inject(fault);
      run.awaitSucceeded();
      run.assertEveryDeviceConfirmedOnce(fault);
      run.assertNoEventRepeated();
      run.assertStatusTellsTheTruth();
      Files.writeString(dir.resolve("summary.txt"), run.summary(fault));
    }
  }

  /** One run: its namespace, broker, operator, two gateways and what it observed. */
  private static final class Run implements AutoCloseable {

    private final Path dir;
    private final String ns;
    private final MosquittoBroker broker;
    private final DeviceTopics topics;
    private final GatewayProcesses gatewayA;
    private final GatewayProcesses gatewayB;
    private final String newSha;
    private final long started = System.nanoTime();

    /** Whether the run started the control plane (and stops it, restarted or not, at the end). */
    private final boolean ownPlane;

    private LocalControlPlane plane;
    private KubernetesClient client;
    private OperatorProcess operator;
    private int operatorRuns = 1;
    private final List<String> notes = new ArrayList<>();

    private Run(
        Path dir,
        LocalControlPlane plane,
        boolean ownPlane,
        String ns,
        MosquittoBroker broker,
        DeviceTopics topics,
        GatewayProcesses gatewayA,
        GatewayProcesses gatewayB,
        String newSha) {
      this.dir = dir;
      this.plane = plane;
      this.ownPlane = ownPlane;
      this.client = plane.client();
      this.ns = ns;
      this.broker = broker;
      this.topics = topics;
      this.gatewayA = gatewayA;
      this.gatewayB = gatewayB;
      this.newSha = newSha;
    }

    static Run start(LocalControlPlane plane, boolean ownPlane, Fault fault, Path dir)
        throws IOException {
      plane.installCrds();
      String ns =
          plane.createNamespace(
              "faults-" + fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      MosquittoBroker broker = MosquittoBroker.start();
      DeviceTopics topics = DeviceTopics.subscribe(broker.uri(), ns);
      GatewayProcesses.Options options =
          new GatewayProcesses.Options(
              true, fault == Fault.SERIAL_NOISE ? 1e-4 : 0, Duration.ofSeconds(4));
      GatewayProcesses a = gateway(ns, "gw-a", 700, broker, dir, options);
      GatewayProcesses b = gateway(ns, "gw-b", 800, broker, dir, options);
      String newSha = Sha256.hex(Files.readAllBytes(fixture("dense_anomaly_v2.tflite")));
      Run run = new Run(dir, plane, ownPlane, ns, broker, topics, a, b, newSha);
      run.operator = OperatorProcess.start(plane.kubeconfig(), broker.uri(), run.operatorLog());
      return run;
    }

    private static GatewayProcesses gateway(
        String ns,
        String name,
        long seed,
        MosquittoBroker broker,
        Path dir,
        GatewayProcesses.Options options)
        throws IOException {
      return GatewayProcesses.start(
          new GatewayProcesses.Spec(
              ns,
              name,
              PER_GATEWAY,
              seed,
              fixture("dense_anomaly.tflite"),
              "1.3.0",
              "{line: \"3\", sensor: vibration}"),
          broker.uri(),
          null,
          null,
          dir.resolve(name),
          options);
    }

    private Path operatorLog() {
      return dir.resolve("operator-" + operatorRuns + ".log");
    }

    private List<String> devices() {
      List<String> all = new ArrayList<>(gatewayA.deviceIds());
      all.addAll(gatewayB.deviceIds());
      return all;
    }

    void awaitJoined() {
      Path sample = ProjectPaths.root().resolve("samples/esp32-vibration");
      DeviceGroup group =
          client
              .resources(DeviceGroup.class)
              .load(sample.resolve("devicegroup.yaml").toFile())
              .item();
      group.getSpec().telemetry = new TelemetrySpec();
      group.getSpec().telemetry.reportIntervalSeconds = 2;
      group.getSpec().connectivity = new ConnectivitySpec();
      group.getSpec().connectivity.offlineAfterSeconds = OFFLINE_AFTER_SECONDS;
      client.resource(group).inNamespace(ns).create();
      plane
          .kubectl()
          .run(
              "apply",
              "--server-side",
              "-n",
              ns,
              "-f",
              sample.resolve("model-configmap.yaml").toString());
      await()
          .atMost(JOIN)
          .untilAsserted(
              () -> {
                DeviceGroup seen =
                    client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
                assertThat(seen.getStatus()).isNotNull();
                assertThat(seen.getStatus().devices.online).isEqualTo(DEVICES);
              });
    }

    void startRollout() {
      Path sample = ProjectPaths.root().resolve("samples/esp32-vibration");
      ModelRollout rollout =
          client
              .resources(ModelRollout.class)
              .load(sample.resolve("modelrollout.yaml").toFile())
              .item();
      StrategySpec strategy = new StrategySpec();
      strategy.steps = List.of(percent(20), percent(100));
      strategy.maxConcurrent = new IntOrString(4);
      strategy.deviceTimeout = "2m";
      strategy.retries = 2;
      strategy.trial = "2s";
      rollout.getSpec().strategy = strategy;
      rollout.getSpec().gates.minDevices = 2;
      client.resource(rollout).inNamespace(ns).create();
    }

    /** Waits until a device of {@code gateway} reports an update under way. */
    void awaitUpdating(GatewayProcesses gateway) {
      await()
          .atMost(JOIN)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  gateway.deviceIds().stream()
                      .map(topics::reported)
                      .flatMap(java.util.Optional::stream)
                      .anyMatch(r -> r.phase() != null && UPDATING.contains(r.phase())));
    }

    void inject(Fault fault) throws Exception {
      switch (fault) {
        case BROKER_RESTART -> {
          broker.kill();
          pause(Duration.ofSeconds(3));
          broker.startAgain();
        }
        case BROKER_LOST_RETAINED -> {
          broker.killAndForget();
          pause(Duration.ofSeconds(3));
          broker.startAgain();
        }
        case OPERATOR_KILLED_THREE_TIMES -> {
          for (int kill = 0; kill < 3; kill++) {
            if (kill > 0) {
              awaitUpdating(kill == 1 ? gatewayA : gatewayB);
            }
            operator.kill();
            operatorRuns++;
            operator = OperatorProcess.start(plane.kubeconfig(), broker.uri(), operatorLog());
          }
        }
        case AGENT_KILLED_MID_UPDATE -> {
          gatewayA.killAgent();
          pause(Duration.ofSeconds(2));
          gatewayA.startAgentAgain();
        }
        case POWER_CUT_MID_UPDATE -> {
          gatewayA.cutPower();
          pause(Duration.ofSeconds(2));
          gatewayA.powerOn();
        }
        case GATEWAY_PARTITIONED -> partitionGatewayA();
        case SERIAL_NOISE -> notes.add("line noise from the start");
        case API_SERVER_STOPPED -> {
          plane.stop();
          pause(Duration.ofSeconds(30));
          plane = LocalControlPlane.start(plane.dataDir(), exit -> {});
          client = plane.client();
        }
      }
    }

    /**
     * Freezes gateway A for the offline deadline and more: its devices must read offline in the
     * group and the rollout must wait for them (not count them failed), then finish once it is
     * back.
     */
    private void partitionGatewayA() throws Exception {
      gatewayA.freezeAgent();
      try {
        await()
            .atMost(Duration.ofSeconds(OFFLINE_AFTER_SECONDS + 30))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  DeviceGroup group =
                      client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
                  assertThat(group.getStatus().devices.offline)
                      .as("gateway A's devices read offline in the group")
                      .isEqualTo(PER_GATEWAY);
                  ModelRolloutStatus status = status();
                  assertThat(status.devices.offline)
                      .as("and in the rollout, which waits for them")
                      .isEqualTo(PER_GATEWAY);
                  assertThat(status.devices.failed).isZero();
                  assertThat(status.phase).isNotIn(Phase.FAILED, Phase.ROLLED_BACK);
                });
        notes.add("gateway A read offline in group and rollout while cut off");
      } finally {
        gatewayA.thawAgent();
      }
    }

    void awaitSucceeded() {
      await()
          .atMost(FINISH)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                ModelRolloutStatus status = status();
                assertThat(status).isNotNull();
                assertThat(status.phase)
                    .as("%s (operator logs in %s)", status.message, dir)
                    .isIn(Phase.SUCCEEDED, Phase.FAILED, Phase.ROLLED_BACK);
              });
      assertThat(status().phase).as(status().message).isEqualTo(Phase.SUCCEEDED);
    }

    /**
     * Every device runs the new model, confirmed; none was confirmed twice; only the devices a
     * fault touched (gateway A's, or all under a broker or operator fault) were asked again.
     */
    void assertEveryDeviceConfirmedOnce(Fault fault) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String id : devices()) {
                  ReportedState twin = topics.reported(id).orElseThrow();
                  assertThat(twin.slots().activeModel().sha256()).as(id).isEqualTo(newSha);
                  assertThat(twin.slots().onTrial()).as("%s on trial", id).isFalse();
                }
              });
      for (String id : devices()) {
        assertThat(topics.events(id, "update"))
            .as("the confirmations %s reported", id)
            .extracting(DeviceEvent::reason)
            .filteredOn("ModelConfirmed"::equals)
            .hasSizeLessThanOrEqualTo(1);
      }
      Set<String> untouched =
          switch (fault) {
            case AGENT_KILLED_MID_UPDATE, POWER_CUT_MID_UPDATE, GATEWAY_PARTITIONED ->
                Set.copyOf(gatewayB.deviceIds());
            default -> Set.of();
          };
      for (String id : untouched) {
        assertThat(topics.reported(id).orElseThrow().update().attempt())
            .as("%s, on the gateway the fault did not touch, was asked once", id)
            .isEqualTo(1);
      }
      int retried =
          (int)
              devices().stream()
                  .filter(id -> topics.reported(id).orElseThrow().update().attempt() > 1)
                  .count();
      notes.add(retried + " of " + DEVICES + " devices asked more than once");
    }

    /** No Event of the rollout repeats itself (RolloutEventLog), and Succeeded is among them. */
    void assertNoEventRepeated() {
      RolloutEventLog log = RolloutEventLog.of(client, ns, ROLLOUT);
      log.assertNoneRepeated();
      assertThat(log.reasons()).contains("Succeeded");
    }

    /** The end state in status matches the devices: all updated, all online, nothing failed. */
    void assertStatusTellsTheTruth() {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ModelRolloutStatus status = status();
                assertThat(status.devices.targeted).isEqualTo(DEVICES);
                assertThat(status.devices.updated).isEqualTo(DEVICES);
                assertThat(status.devices.failed).isZero();
                DeviceGroup group =
                    client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
                assertThat(group.getStatus().devices.online).isEqualTo(DEVICES);
                assertThat(group.getStatus().devices.updating).isZero();
                assertThat(group.getStatus().models)
                    .as("the group's model distribution")
                    .singleElement()
                    .satisfies(m -> assertThat(m.devices).isEqualTo(DEVICES));
              });
    }

    String summary(Fault fault) {
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      return fault
          + ": Succeeded, "
          + DEVICES
          + " devices, "
          + seconds
          + " s from start to checks"
          + (fault == Fault.SERIAL_NOISE
              ? ", "
                  + (gatewayA.bytesDamaged() + gatewayB.bytesDamaged())
                  + " bytes damaged of "
                  + (gatewayA.bytesCarried() + gatewayB.bytesCarried())
              : "")
          + "; "
          + String.join("; ", notes)
          + "\n";
    }

    private ModelRolloutStatus status() {
      ModelRollout rollout =
          client.resources(ModelRollout.class).inNamespace(ns).withName(ROLLOUT).get();
      return rollout == null ? null : rollout.getStatus();
    }

    private static void pause(Duration duration) {
      await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }

    @Override
    public void close() {
      Function<AutoCloseable, Void> quietly =
          c -> {
            try {
              c.close();
            } catch (Exception e) {
              System.err.println("[faults] could not close " + c + ": " + e);
            }
            return null;
          };
      quietly.apply(operator);
      quietly.apply(gatewayA);
      quietly.apply(gatewayB);
      quietly.apply(topics);
      quietly.apply(broker);
      if (ownPlane) {
        plane.stop();
      }
    }
  }
}
