package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rollout over a fleet of emulated devices, from apply to Succeeded, with the real operator (its
 * Quarkus jar in a JVM of its own), Mosquitto and kube-apiserver + etcd: gateways of 100 devices,
 * each a real {@code EdgeAgent} in this JVM with in-process emulators ({@link ScaleFleet}). The
 * model is {@code model/fixtures/bench/dense_wide.tflite} (49 056 bytes, three golden vectors),
 * three steps (10 %, 50 %, 100 %), maxConcurrent 100 %, a 2 s trial. Figures per fleet size go to
 * target/benchmarks/rollout-scale.json: wall time, status writes, API requests, operator heap per
 * device, broker messages, CPU seconds. Fleet sizes from {@code -Dfieldproof.bench.devices} (a
 * comma list, default 1000). Run with {@code scripts/bench.sh rollout 1000 3000 10000}; see
 * docs/benchmarks.md.
 */
@Tag("benchmark")
class RolloutScaleBenchmark {

  private static final String GROUP = "pump-vibration";
  private static final String ROLLOUT = "bench-wide-2-0-0";
  private static final Path MODEL =
      ProjectPaths.root().resolve("model/fixtures/bench/dense_wide.tflite");
  private static final Path GOLDEN =
      ProjectPaths.root().resolve("model/fixtures/bench/dense_wide.golden.json");
  private static final Path OLD_MODEL =
      ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void rolloutOverEmulatedFleets() throws Exception {
    List<Integer> sizes =
        Arrays.stream(System.getProperty("fieldproof.bench.devices", "1000").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Integer::parseInt)
            .toList();
    ArrayNode runs = JSON.createArrayNode();
    Path out = Path.of("target", "benchmarks", "rollout-scale.json");
    Files.createDirectories(out.getParent());
    for (int devices : sizes) {
      runs.add(run(devices));
      Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(runs) + "\n");
    }
    System.out.println("[benchmark] " + JSON.writeValueAsString(runs));
  }

  private ObjectNode run(int devices) throws Exception {
    String ns = plane.createNamespace("bench-rollout-" + devices);
    Path dir =
        RolloutFixtures.cleanDir(Path.of("target", "bench-rollout-" + devices).toAbsolutePath());
    byte[] model = Files.readAllBytes(MODEL);
    ObjectNode run = JSON.createObjectNode();
    run.put("benchmark", "rollout-scale");
    run.put("time", Instant.now().toString());
    run.put("devices", devices);
    run.put("gateways", (devices + ScaleFleet.PER_GATEWAY - 1) / ScaleFleet.PER_GATEWAY);
    run.put("modelBytes", model.length);
    run.put("cores", Runtime.getRuntime().availableProcessors());
    run.put(
        "loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (MosquittoBroker broker = MosquittoBroker.start();
        BrokerCounters brokerCounters = BrokerCounters.subscribe(broker.uri())) {
      OperatorProcess operator =
          OperatorProcess.start(
              plane.kubeconfig(),
              broker.uri(),
              dir.resolve("operator.log"),
              List.of("-Xmx1g", "-XX:+UseSerialGC"));
      try (operator) {
        OperatorMetrics metrics = new OperatorMetrics(operator);
        long heapBefore = metrics.heapAfterGc();
        apply(ns, groupYaml());
        apply(ns, modelConfigMap(model));
        long joinStart = System.nanoTime();
        try (ScaleFleet fleet =
            ScaleFleet.start(
                ns, broker.uri(), dir.resolve("agents"), devices, Files.readAllBytes(OLD_MODEL))) {
          awaitOnline(ns, devices);
          run.put("joinSeconds", seconds(System.nanoTime() - joinStart));
          run.put(
              "operatorHeapBytesPerDeviceJoined", (metrics.heapAfterGc() - heapBefore) / devices);

          Map<String, Double> apiBefore = ApiServerCounters.read(plane);
          double brokerSentBefore = brokerCounters.awaitFresh("$SYS/broker/messages/sent");
          double brokerReceivedBefore = brokerCounters.latest("$SYS/broker/messages/received");
          Cpu cpuBefore = Cpu.now(operator, broker, plane);
          double signedBefore = metrics.counter("fieldproof_desired_signed_total");
          Optional<jdk.jfr.Recording> profile = profileAgents();
          if (profile.isPresent()) {
            metrics.jcmd("JFR.start", "name=bench", "settings=profile");
          }
          long start = System.nanoTime();
          client.resource(rollout(model)).inNamespace(ns).create();
          int[] polls = {0};
          await()
              .atMost(Duration.ofMinutes(20))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    polls[0]++;
                    ModelRolloutStatus status = status(ns);
                    if (status != null && status.phase == ModelRolloutStatus.Phase.FAILED) {
                      throw new IllegalStateException("the rollout failed: " + status.message);
                    }
                    return status != null && status.phase == ModelRolloutStatus.Phase.SUCCEEDED;
                  });
          double wall = seconds(System.nanoTime() - start);
          if (profile.isPresent()) {
            profile.get().dump(dir.resolve("agents.jfr"));
            profile.get().close();
            metrics.jcmd("JFR.dump", "name=bench", "filename=" + dir.resolve("operator.jfr"));
          }
          Cpu cpuAfter = Cpu.now(operator, broker, plane);
          Map<String, Double> apiAfter = ApiServerCounters.read(plane);
          double brokerSent = brokerCounters.awaitFresh("$SYS/broker/messages/sent");
          double brokerReceived = brokerCounters.latest("$SYS/broker/messages/received");

          ModelRolloutStatus status = status(ns);
          run.put("applyToSucceededSeconds", wall);
          run.put(
              "desiredStatesSignedPerDevice",
              (metrics.counter("fieldproof_desired_signed_total") - signedBefore) / devices);
          run.put("updated", status.devices.updated);
          run.put("targeted", status.devices.targeted);
          double rolloutWrites =
              ApiServerCounters.statusWrites(apiBefore, apiAfter, "modelrollouts");
          double groupWrites = ApiServerCounters.statusWrites(apiBefore, apiAfter, "devicegroups");
          run.put("rolloutStatusWrites", rolloutWrites);
          run.put("groupStatusWrites", groupWrites);
          run.put("statusWritesPerSecond", (rolloutWrites + groupWrites) / wall);
          run.put("benchmarkPolls", polls[0]);
          run.put(
              "apiRequestsByOthers",
              ApiServerCounters.total(apiBefore, apiAfter) - polls[0] - 1 /* the create */);
          run.set("apiRequestsByVerbAndResource", ApiServerCounters.breakdown(apiBefore, apiAfter));
          run.put("operatorHeapBytesPerDevice", (metrics.heapAfterGc() - heapBefore) / devices);
          run.put("brokerMessagesSent", brokerSent - brokerSentBefore);
          run.put("brokerMessagesReceived", brokerReceived - brokerReceivedBefore);
          run.put(
              "brokerCountersNote",
              "Mosquitto $SYS, published every 10 s: read at the first publication after each end");
          run.set("cpuSeconds", cpuAfter.minus(cpuBefore));
          run.put(
              "loadAverageAtEnd",
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
    System.out.println("[benchmark] " + run);
    return run;
  }

  /**
   * With {@code -Dfieldproof.bench.jfr=true}, a JFR profile of this JVM (the agents and emulators)
   * over the rollout, to agents.jfr; the operator's goes to operator.jfr.
   */
  private static Optional<jdk.jfr.Recording> profileAgents() throws Exception {
    if (!Boolean.getBoolean("fieldproof.bench.jfr")) {
      return Optional.empty();
    }
    jdk.jfr.Recording recording =
        new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    recording.start();
    return Optional.of(recording);
  }

  private void awaitOnline(String ns, int devices) {
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              DeviceGroup group =
                  client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
              return group != null
                  && group.getStatus() != null
                  && group.getStatus().devices != null
                  && group.getStatus().devices.online == devices;
            });
  }

  private ModelRolloutStatus status(String ns) {
    ModelRollout rollout =
        client.resources(ModelRollout.class).inNamespace(ns).withName(ROLLOUT).get();
    return rollout == null ? null : rollout.getStatus();
  }

  private void apply(String ns, String yaml) throws Exception {
    Path file = Files.createTempFile("bench-", ".yaml");
    Files.writeString(file, yaml);
    plane.kubectl().run("apply", "--server-side", "-n", ns, "-f", file.toString());
    Files.delete(file);
  }

  /** The sample pump group, reporting health every 5 minutes so telemetry stays out of the way. */
  private static String groupYaml() throws Exception {
    String sample =
        Files.readString(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml"));
    return sample
        .replace("reportIntervalSeconds: 30", "reportIntervalSeconds: 300")
        .replace("offlineAfterSeconds: 90", "offlineAfterSeconds: 900");
  }

  private static String modelConfigMap(byte[] model) throws Exception {
    JsonNode golden = JSON.readTree(GOLDEN.toFile());
    ArrayNode vectors = JSON.createArrayNode();
    for (int i = 0; i < 3; i++) {
      JsonNode v = golden.get("vectors").get(i);
      ObjectNode vector = JSON.createObjectNode();
      vector.set("input", v.get("input").get(0));
      vector.set("output", v.get("output").get(0));
      vectors.add(vector);
    }
    String selfTest = JSON.writeValueAsString(JSON.createObjectNode().set("vectors", vectors));
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: " + ROLLOUT,
        "binaryData:",
        "  model.tflite: " + Base64.getEncoder().encodeToString(model),
        "data:",
        "  selftest.json: '" + selfTest + "'",
        "");
  }

  private ModelRollout rollout(byte[] model) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: fieldproof.io/v1alpha1",
            "kind: ModelRollout",
            "metadata:",
            "  name: " + ROLLOUT,
            "spec:",
            "  deviceGroup: " + GROUP,
            "  model:",
            "    name: vibration-wide",
            "    version: 2.0.0",
            "    source:",
            "      configMap: {name: " + ROLLOUT + ", key: model.tflite}",
            "    sha256: " + io.fieldproof.protocol.Sha256.hex(model),
            "    selfTest:",
            "      configMap: {name: " + ROLLOUT + ", key: selftest.json}",
            "      tolerance: 0",
            "  strategy:",
            "    steps:",
            "      - setPercent: 10",
            "      - setPercent: 50",
            "      - setPercent: 100",
            "    maxConcurrent: 100%",
            "    trial: 2s",
            "    deviceTimeout: 5m",
            "    retries: 1",
            "");
    return client
        .resources(ModelRollout.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .item();
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }

  /** CPU seconds of each process of the run so far. */
  private record Cpu(double operator, double agents, double broker, double apiServer, double etcd) {

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

    private static double cpu(Optional<ProcessHandle> process) {
      return process
          .flatMap(p -> p.info().totalCpuDuration())
          .map(d -> d.toMillis() / 1e3)
          .orElse(Double.NaN);
    }

    ObjectNode minus(Cpu before) {
      ObjectNode node = JSON.createObjectNode();
      node.put("operator", operator - before.operator);
      node.put("agentsJvm", agents - before.agents);
      node.put("mosquitto", broker - before.broker);
      node.put("kubeApiserver", apiServer - before.apiServer);
      node.put("etcd", etcd - before.etcd);
      return node;
    }
  }
}
