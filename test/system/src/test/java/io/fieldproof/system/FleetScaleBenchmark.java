package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet's size against one operator (its Quarkus jar in a JVM of its own), the real
 * kube-apiserver + etcd and Mosquitto, with simulated gateways ({@link SimulatedGateways}: births
 * and reports as agents publish them, no agents or emulators) of 250 devices spread over ten
 * DeviceGroups:
 *
 * <ul>
 *   <li>{@link #ingest}: 100 000 devices ({@code -Dfieldproof.bench.ingest.devices}) announced and
 *       reporting once each; time until the operator indexed every message and until every group's
 *       status, read from the API server, counts all its members online and running their model.
 *   <li>{@link #restart}: 10 000 devices ({@code -Dfieldproof.bench.restart.devices}) with their
 *       desired states published; the operator is killed (SIGKILL) and a new one started; time
 *       until its index holds the retained births, desired states and reports again and every group
 *       status is back, and how many desired states it published (none expected).
 * </ul>
 *
 * Figures to target/benchmarks/fleet-ingest-scale.json and operator-restart.json; with {@code
 * -Dfieldproof.bench.jfr=true} a JFR profile of the operator in target/bench-fleet-*. Run with
 * {@code scripts/bench.sh ingest}; see docs/benchmarks.md.
 */
@Tag("benchmark")
class FleetScaleBenchmark {

  private static final int PER_GATEWAY = 250;
  private static final int GROUPS = 10;
  private static final int PUBLISHING_SESSIONS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void ingest() throws Exception {
    int devices = Integer.getInteger("fieldproof.bench.ingest.devices", 100_000);
    String ns = plane.createNamespace("bench-ingest-" + devices);
    Path dir = RolloutFixtures.cleanDir(Path.of("target", "bench-fleet-ingest").toAbsolutePath());
    ObjectNode run = header("fleet-ingest-scale", devices);
    try (MosquittoBroker broker = MosquittoBroker.startForFleetScale();
        DesiredWatch desired = DesiredWatch.subscribe(broker.uri(), ns)) {
      FleetGroups.apply(plane, ns, GROUPS);
      OperatorProcess operator = startOperator(broker, dir, devices);
      try (operator;
          SimulatedGateways gateways =
              SimulatedGateways.connect(
                  broker.uri(), ns, devices, PER_GATEWAY, GROUPS, PUBLISHING_SESSIONS)) {
        OperatorMetrics metrics = new OperatorMetrics(operator);
        long heapBefore = metrics.heapAfterGc();
        Map<String, Double> apiBefore = ApiServerCounters.read(plane);
        Cpu cpuBefore = Cpu.now(operator, broker, plane);
        double reconcilesBefore = reconciles(metrics);

        long start = System.nanoTime();
        var sent = gateways.birthsAndReports();
        double[] published = {Double.NaN};
        sent.thenRun(() -> published[0] = seconds(System.nanoTime() - start));
        Milestones milestones = new Milestones();
        await()
            .atMost(Duration.ofMinutes(15))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  long now = System.nanoTime();
                  if (milestones.indexed < 0
                      && held(metrics, "announced") >= devices
                      && held(metrics, "reported") >= devices) {
                    milestones.indexed = now;
                  }
                  if (milestones.statuses < 0
                      && FleetGroups.settled(client, ns, GROUPS, devices / GROUPS)) {
                    milestones.statuses = now;
                  }
                  return milestones.indexed >= 0 && milestones.statuses >= 0;
                });
        double indexed = seconds(milestones.indexed - start);
        double statuses = seconds(milestones.statuses - start);
        sent.join();
        long desiredAtStatuses = desired.published();
        long heapAtStatuses = metrics.heapAfterGc();
        double allDesired;
        try {
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> desired.published() >= devices);
          allDesired = seconds(System.nanoTime() - start);
        } catch (org.awaitility.core.ConditionTimeoutException notAll) {
          allDesired = Double.NaN;
        }
        run.put("desiredStatesPublishedInAll", desired.published());
        Cpu cpuAfter = Cpu.now(operator, broker, plane);
        Map<String, Double> apiAfter = ApiServerCounters.read(plane);
        double reconcileEvents = reconciles(metrics) - reconcilesBefore;
        dumpProfile(metrics, dir);
        long heapAfter = metrics.heapAfterGc();

        run.put("publishedAndAcknowledgedSeconds", published[0]);
        run.put("indexedSeconds", indexed);
        run.put("groupStatusesWrittenSeconds", statuses);
        run.put("droppedMessages", metrics.counter("fieldproof_mqtt_dropped_total"));
        run.put("operatorMqttSessionsLost", sessionsLost(operator));
        run.put("desiredStatesPublishedByThen", desiredAtStatuses);
        run.put("everyDesiredStatePublishedSeconds", allDesired);
        run.put("desiredStatesSigned", metrics.counter("fieldproof_desired_signed_total"));
        run.put("groupReconcileEvents", reconcileEvents);
        run.put(
            "groupStatusWrites",
            ApiServerCounters.statusWrites(apiBefore, apiAfter, "devicegroups"));
        run.set("apiRequestsByVerbAndResource", ApiServerCounters.breakdown(apiBefore, apiAfter));
        run.put("operatorHeapBytesBefore", heapBefore);
        run.put(
            "operatorHeapMiBWhenStatusesWritten",
            Math.round(heapAtStatuses / 1048576.0 * 10) / 10.0);
        run.put("operatorHeapBytesAfter", heapAfter);
        run.put("operatorHeapMiBAfter", Math.round(heapAfter / 1048576.0 * 10) / 10.0);
        run.put("operatorHeapBytesPerDevice", (heapAfter - heapBefore) / devices);
        run.set("cpuSeconds", cpuAfter.minus(cpuBefore));
        run.put(
            "loadAverageAtEnd",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        write("fleet-ingest-scale.json", run);
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  @Test
  void restart() throws Exception {
    int devices = Integer.getInteger("fieldproof.bench.restart.devices", 10_000);
    String ns = plane.createNamespace("bench-restart-" + devices);
    Path dir = RolloutFixtures.cleanDir(Path.of("target", "bench-fleet-restart").toAbsolutePath());
    ObjectNode run = header("operator-restart", devices);
    long desiredAfterRestart;
    try (MosquittoBroker broker = MosquittoBroker.startForFleetScale();
        DesiredWatch desired = DesiredWatch.subscribe(broker.uri(), ns);
        SimulatedGateways gateways =
            SimulatedGateways.connect(
                broker.uri(), ns, devices, PER_GATEWAY, GROUPS, PUBLISHING_SESSIONS)) {
      FleetGroups.apply(plane, ns, GROUPS);
      try (OperatorProcess first = startOperator(broker, dir.resolve("first"), devices)) {
        gateways.birthsAndReports().join();
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    FleetGroups.settled(client, ns, GROUPS, devices / GROUPS)
                        && desired.published() >= devices);
        run.put("desiredStatesPublishedByTheFirstOperator", desired.published());
        first.kill();
      }
      try (DesiredWatch retained =
          DesiredWatch.subscribe(broker.uri(), ns, "bench-desired-retained")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> retained.retained() >= devices);
        run.put("desiredStatesRetainedOnTheBroker", retained.retained());
      }
      FleetGroups.clearCounts(client, ns);
      long desiredBefore = desired.published();
      Map<String, Double> apiBefore = ApiServerCounters.read(plane);

      Optional<ProcessHandle> mosquitto = broker.process();
      double brokerCpuBefore = Cpu.cpu(mosquitto);
      long start = System.nanoTime();
      OperatorProcess second = startOperator(broker, dir.resolve("second"), devices);
      try (second) {
        run.put("startToReadySeconds", seconds(System.nanoTime() - start));
        OperatorMetrics metrics = new OperatorMetrics(second);
        Milestones milestones = new Milestones();
        List<String> wrong = new ArrayList<>();
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  long now = System.nanoTime();
                  if (milestones.indexed < 0
                      && held(metrics, "announced") >= devices
                      && held(metrics, "desired") >= devices
                      && held(metrics, "reported") >= devices) {
                    milestones.indexed = now;
                  }
                  wrong.addAll(FleetGroups.wrongCounts(client, ns, devices / GROUPS));
                  if (milestones.statuses < 0
                      && FleetGroups.settled(client, ns, GROUPS, devices / GROUPS)) {
                    milestones.statuses = now;
                  }
                  return milestones.indexed >= 0 && milestones.statuses >= 0;
                });
        // what a late reconcile would still publish: let two recheck periods of quiet pass
        long settledAt = desired.published();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        desiredAfterRestart = desired.published() - desiredBefore;
        Map<String, Double> apiAfter = ApiServerCounters.read(plane);
        dumpProfile(metrics, dir);
        run.put("indexedSeconds", seconds(milestones.indexed - start));
        run.put("groupStatusesBackSeconds", seconds(milestones.statuses - start));
        run.put("operatorCpuSeconds", Cpu.cpu(Optional.of(second.handle())));
        run.put("mosquittoCpuSeconds", Cpu.cpu(mosquitto) - brokerCpuBefore);
        run.put("desiredStatesPublishedAfterRestartByStatuses", settledAt - desiredBefore);
        run.put("desiredStatesPublishedAfterRestart", desiredAfterRestart);
        run.put(
            "desiredStatesSignedAfterRestart", metrics.counter("fieldproof_desired_signed_total"));
        run.put("wrongGroupCountsSeen", wrong.size());
        run.put("firstWrongGroupCounts", wrong.isEmpty() ? "" : wrong.get(0));
        run.put("groupReconcileEvents", reconciles(metrics));
        run.put("operatorMqttSessionsLost", sessionsLost(second));
        run.put(
            "groupStatusWrites",
            ApiServerCounters.statusWrites(apiBefore, apiAfter, "devicegroups"));
        run.set("apiRequestsByVerbAndResource", ApiServerCounters.breakdown(apiBefore, apiAfter));
        long heap = metrics.heapAfterGc();
        run.put("operatorHeapBytesAfter", heap);
        run.put("operatorHeapMiBAfter", Math.round(heap / 1048576.0 * 10) / 10.0);
        run.put(
            "loadAverageAtEnd",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        write("operator-restart.json", run);
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
    assertThat(desiredAfterRestart)
        .as("desired states the restarted operator published (it should ask no device anything)")
        .isZero();
  }

  /** When the index and the statuses were first complete (System.nanoTime), -1 until then. */
  private static final class Milestones {
    long indexed = -1;
    long statuses = -1;
  }

  private ObjectNode header(String name, int devices) {
    ObjectNode run = JSON.createObjectNode();
    run.put("benchmark", name);
    run.put("time", Instant.now().toString());
    run.put("devices", devices);
    run.put("gateways", (devices + PER_GATEWAY - 1) / PER_GATEWAY);
    run.put("groups", GROUPS);
    run.put("publishingSessions", PUBLISHING_SESSIONS);
    run.put("cores", Runtime.getRuntime().availableProcessors());
    run.put(
        "loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return run;
  }

  private static OperatorProcess startOperator(MosquittoBroker broker, Path dir, int devices)
      throws Exception {
    Files.createDirectories(dir);
    List<String> options = new ArrayList<>();
    options.add("-Xmx1g");
    options.add("-XX:+UseSerialGC");
    options.add("-Dfieldproof.fleet.max-devices-per-namespace=" + Math.max(65_536, devices));
    if (Boolean.getBoolean("fieldproof.bench.jfr")) {
      options.add("-XX:StartFlightRecording=name=bench,settings=profile");
    }
    return OperatorProcess.start(
        LocalControlPlane.shared().kubeconfig(),
        broker.uri(),
        dir.resolve("operator.log"),
        options);
  }

  /** With -Dfieldproof.bench.jfr=true, the operator's JFR profile and heap histogram. */
  private static void dumpProfile(OperatorMetrics metrics, Path dir) throws Exception {
    if (Boolean.getBoolean("fieldproof.bench.jfr")) {
      metrics.jcmd("JFR.dump", "name=bench", "filename=" + dir.resolve("operator.jfr"));
      metrics.jcmdTo(dir.resolve("heap-histogram.txt"), "GC.class_histogram");
    }
  }

  /** How often the operator's fleet session was lost, from its log. */
  private static long sessionsLost(OperatorProcess operator) {
    return operator
        .log()
        .lines()
        .filter(l -> l.contains("fleet MQTT session to"))
        .filter(l -> l.contains(" lost"))
        .count();
  }

  /** What the operator's fleet index holds: announced, reported or desired devices. */
  private static double held(OperatorMetrics metrics, String what) throws Exception {
    return metrics.counter("fieldproof_fleet_index_devices", "held=\"" + what + "\"");
  }

  private static double reconciles(OperatorMetrics metrics) throws Exception {
    return metrics.counter("reconciliations_started_total", "devicegroup");
  }

  private static void write(String file, ObjectNode run) throws Exception {
    Path out = Path.of("target", "benchmarks", file);
    Files.createDirectories(out.getParent());
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run) + "\n");
    System.out.println("[benchmark] " + JSON.writeValueAsString(run));
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }

  /** CPU seconds of each process so far. */
  private record Cpu(
      double operator, double benchmark, double broker, double apiServer, double etcd) {

    static Cpu now(OperatorProcess operator, MosquittoBroker broker, LocalControlPlane plane) {
      return new Cpu(
          cpu(Optional.of(operator.handle())),
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              / 1e9,
          cpu(broker.process()),
          cpu(plane.apiServerProcess()),
          cpu(plane.etcdProcess()));
    }

    static double cpu(Optional<ProcessHandle> process) {
      return process
          .flatMap(p -> p.info().totalCpuDuration())
          .map(d -> d.toMillis() / 1e3)
          .orElse(Double.NaN);
    }

    ObjectNode minus(Cpu before) {
      ObjectNode node = JSON.createObjectNode();
      node.put("operator", operator - before.operator);
      node.put("benchmarkJvm", benchmark - before.benchmark);
      node.put("mosquitto", broker - before.broker);
      node.put("kubeApiserver", apiServer - before.apiServer);
      node.put("etcd", etcd - before.etcd);
      return node;
    }
  }
}
