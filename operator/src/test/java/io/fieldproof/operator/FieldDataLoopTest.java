package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec.Verdict;
import io.fieldproof.api.v1alpha1.CaptureSpec;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.datasets.DatasetCli;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.SeaweedStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The field-data loop closed end to end: emulated pumps running the lab's model (dense_anomaly)
 * meet two regimes, a low-load one the model alarms on although the pumps are fine, and a real
 * fault, and a sixth pump's current sensor drifts off its calibration. Their devices capture
 * windows around each alarm and the drift, the agent uploads them to a real SeaweedFS, a person
 * (the test, knowing which pump ran which regime) labels them with CaptureLabels, the group's
 * status shows the model's false-alarm rate, the windows are exported as datasets, dense_anomaly is
 * retrained on the alarms with the pinned generator, and the retrained model, judged on the same
 * captured windows, raises fewer false alarms and still catches the fault; then it is rolled out to
 * the group.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class FieldDataLoopTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] INPUTS = {
    "accel_rms", "accel_peak_g", "temperature_c", "motor_current_a"
  };

  /** Low load: little current, some vibration; normal in the field, an anomaly to the lab model. */
  private static final double[] LOW_LOAD = {0.68, 0.70, 42.5, 3.5};

  /** A real fault: strong vibration at nominal current. */
  private static final double[] FAULT = {0.81, 0.30, 42.5, 12.5};

  /** A current sensor off its calibration: five reference deviations (3 A) above 12.5 A. */
  private static final double DRIFTED_CURRENT_A = 27.5;

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void capturedWindowsLabeledFalseRetrainAModelThatCutsFalseAlarmsAndRollsOut(@TempDir Path work)
      throws Exception {
    String ns = plane.createNamespace("field-loop");
    byte[] lab = Files.readAllBytes(models().resolve("dense_anomaly.tflite"));
    try (SeaweedStore store = SeaweedStore.start("fieldproof-captures");
        EmulatedGateway gw =
            EmulatedGateway.start(
                ns,
                "gw-field",
                Chip.ESP32,
                900,
                6,
                PUMP_LABELS,
                b -> b.activeModel("vibration-anomaly", "1.3.0", lab),
                captureStore(store))) {
      applyGroup(ns);
      new GroupAwait(client, WAIT).online(ns, 6);
      List<DeviceEmulator> pumps = gw.emulators().subList(0, 5);
      List<DeviceEmulator> lowLoad = pumps.subList(0, 3);
      List<DeviceEmulator> faulty = pumps.subList(3, 5);
      DeviceEmulator drifting = gw.emulators().get(5);

      S3Client admin = store.client(store.adminKey());
      String prefix = CaptureKey.prefix(ns, "pump-vibration", Sha256.hex(lab), "alarm");
      String driftPrefix = CaptureKey.prefix(ns, "pump-vibration", Sha256.hex(lab), "drift");
      drifting.holdReading("motor_current_a", DRIFTED_CURRENT_A);
      for (int cycle = 0; cycle < 8 && !enough(admin, store, prefix, pumps); cycle++) {
        drive(lowLoad, LOW_LOAD, cycle);
        drive(faulty, FAULT, cycle);
        pause(Duration.ofSeconds(3));
        pumps.forEach(FieldDataLoopTest::release);
        pause(Duration.ofSeconds(3));
      }
      await().atMost(WAIT).until(() -> enough(admin, store, prefix, pumps));
      await().atMost(WAIT).until(() -> !keys(admin, store, driftPrefix).isEmpty());
      drifting.releaseReading("motor_current_a");

      List<String> driftKeys = keys(admin, store, driftPrefix);
      assertThat(driftKeys)
          .allSatisfy(
              k ->
                  assertThat(CaptureKey.parse(k).orElseThrow().device())
                      .isEqualTo(drifting.deviceId()));
      driftKeys.forEach(key -> label(ns, key, Verdict.SENSOR_FAULT));
      List<String> keys = keys(admin, store, prefix);
      List<String> lowLoadIds = lowLoad.stream().map(DeviceEmulator::deviceId).toList();
      int sensorFaults = 0;
      for (String key : keys) {
        String device = CaptureKey.parse(key).orElseThrow().device();
        Verdict verdict =
            device.equals(drifting.deviceId())
                ? Verdict.SENSOR_FAULT
                : lowLoadIds.contains(device) ? Verdict.FALSE_ALARM : Verdict.TRUE_ALARM;
        sensorFaults += verdict == Verdict.SENSOR_FAULT ? 1 : 0;
        label(ns, key, verdict);
      }
      int labeledAlarms = keys.size() - sensorFaults;
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(group(ns).getStatus().falseAlarms)
                      .singleElement()
                      .satisfies(
                          m -> {
                            assertThat(m.modelSha256).isEqualTo(Sha256.hex(lab));
                            assertThat(m.labeledAlarms).isEqualTo(labeledAlarms);
                          }));

      Path drifts = work.resolve("drifts");
      assertThat(export(ns, store, drifts, "drift", "sensorFault")).isZero();
      assertThat(Files.readAllLines(drifts.resolve("manifest.jsonl")))
          .hasSize(driftKeys.size())
          .allSatisfy(
              line ->
                  assertThat(JSON.readTree(line).get("label").asText()).isEqualTo("sensorFault"));

      Path dataset = work.resolve("dataset");
      assertThat(export(ns, store, dataset, "alarm", "falseAlarm", "trueAlarm")).isZero();
      Path retrained = work.resolve("retrained");
      retrain(dataset, retrained);
      JsonNode report = JSON.readTree(retrained.resolve("report.json").toFile());
      Path kept = Path.of("target", "field-data-loop", "report.json");
      Files.createDirectories(kept.getParent());
      Files.copy(retrained.resolve("report.json"), kept, StandardCopyOption.REPLACE_EXISTING);
      JsonNode before = report.get("old");
      JsonNode after = report.get("new");
      assertThat(before.get("sha256").asText()).isEqualTo(Sha256.hex(lab));
      assertThat(before.get("falseAlarmRate").asDouble()).isGreaterThan(0.5);
      assertThat(after.get("falseAlarmRate").asDouble())
          .isLessThan(before.get("falseAlarmRate").asDouble());
      assertThat(after.get("detectionRate").asDouble()).isGreaterThanOrEqualTo(0.5);

      byte[] field = Files.readAllBytes(retrained.resolve("dense_anomaly_field.tflite"));
      String golden = Files.readString(retrained.resolve("dense_anomaly_field.golden.json"));
      rollOut(ns, field, golden);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                ModelRollout rollout =
                    client.resources(ModelRollout.class).inNamespace(ns).withName("field").get();
                assertThat(rollout.getStatus()).isNotNull();
                assertThat(rollout.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
              });
      assertThat(gw.emulators())
          .allSatisfy(
              p ->
                  assertThat(p.slots().activeModel().map(Sha256::hex)).contains(Sha256.hex(field)));
    }
  }

  /** Holds every input of the pumps at the regime's readings, a little apart each cycle. */
  private static void drive(List<DeviceEmulator> pumps, double[] regime, int cycle) {
    for (DeviceEmulator pump : pumps) {
      for (int i = 0; i < INPUTS.length; i++) {
        pump.holdReading(INPUTS[i], regime[i] * (1 + 0.002 * cycle));
      }
    }
  }

  private static void release(DeviceEmulator pump) {
    for (String input : INPUTS) {
      pump.releaseReading(input);
    }
  }

  /** At least two alarm windows of every pump are in the store. */
  private static boolean enough(
      S3Client admin, SeaweedStore store, String prefix, List<DeviceEmulator> pumps) {
    List<String> keys = keys(admin, store, prefix);
    return pumps.stream()
        .allMatch(
            p -> keys.stream().filter(k -> k.contains("/" + p.deviceId() + "/")).count() >= 2);
  }

  private static List<String> keys(S3Client admin, SeaweedStore store, String prefix) {
    List<String> keys = new ArrayList<>();
    for (var page : admin.listObjectsV2Paginator(b -> b.bucket(store.bucket()).prefix(prefix))) {
      page.contents().stream().map(S3Object::key).forEach(keys::add);
    }
    return keys;
  }

  private static AgentConfig.CaptureStore captureStore(SeaweedStore store) {
    return new AgentConfig.CaptureStore(
        store.endpoint(),
        store.bucket(),
        "us-east-1",
        store.writerKey().accessKeyId(),
        store.writerKey().secretAccessKey().toCharArray(),
        64L * 1024 * 1024,
        Duration.ofMillis(200),
        Duration.ofSeconds(2));
  }

  /** The sample pump group, capturing windows around alarms and drift, reporting every second. */
  private void applyGroup(String ns) {
    SampleGroups.createPumpVibration(
        client,
        ns,
        group -> {
          group.getSpec().telemetry.reportIntervalSeconds = 1;
          group.getSpec().connectivity.offlineAfterSeconds = 30;
          group.getSpec().capture = new CaptureSpec();
          group.getSpec().capture.enabled = true;
          group.getSpec().capture.triggers =
              List.of(CaptureSpec.Trigger.ALARM, CaptureSpec.Trigger.DRIFT);
          group.getSpec().drift.window = "10s";
          group.getSpec().drift.minSamples = 3;
          group.getSpec().capture.windowBefore = 5;
          group.getSpec().capture.windowAfter = 8;
        });
  }

  private void label(String ns, String key, Verdict verdict) {
    CaptureLabel label = new CaptureLabel();
    label.setMetadata(
        new ObjectMetaBuilder()
            .withName("window-" + Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 20))
            .build());
    label.setSpec(new CaptureLabelSpec());
    label.getSpec().window = key;
    label.getSpec().label = verdict;
    client.resource(label).inNamespace(ns).create();
  }

  private int export(String ns, SeaweedStore store, Path out, String trigger, String... labels) {
    System.setProperty("kubeconfig", plane.kubeconfig().toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(List.of("export", "-n", ns, "-g", "pump-vibration", "--trigger", trigger));
    for (String label : labels) {
      args.add("--label");
      args.add(label);
    }
    args.add("--out");
    args.add(out.toString());
    int code =
        DatasetCli.run(
            args.toArray(String[]::new),
            Map.of(
                "FIELDPROOF_STORE_ENDPOINT", store.endpoint().toString(),
                "FIELDPROOF_STORE_BUCKET", store.bucket(),
                "FIELDPROOF_STORE_ACCESS_KEY_ID", store.adminKey().accessKeyId(),
                "FIELDPROOF_STORE_SECRET_ACCESS_KEY", store.adminKey().secretAccessKey()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    return code;
  }

  /** dense_anomaly retrained on the dataset by the pinned generator, in the fixtures venv. */
  private static void retrain(Path dataset, Path out) throws IOException, InterruptedException {
    Path python =
        Path.of(
            System.getProperty("user.home"),
            ".cache",
            "fieldproof",
            "venv-fixtures",
            "bin",
            "python");
    assertThat(python)
        .as("the fixtures venv (scripts/lib/install.sh test sets it up)")
        .isExecutable();
    Path log = out.resolveSibling("retrain.log");
    Files.createDirectories(out);
    Process process =
        new ProcessBuilder(
                python.toString(),
                models().resolveSibling("retrain.py").toString(),
                "--dataset",
                dataset.toString(),
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("retrain.py finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }

  private void rollOut(String ns, byte[] model, String golden) {
    ModelConfigMaps.create(client, ns, "field", model, golden);
    RolloutManifests.create(
        client,
        ns,
        RolloutManifests.pumpVibration(
            "field",
            "1.5.0",
            model,
            "field",
            """
            strategy:
              steps: [{setPercent: 40}, {setPercent: 100}]
              maxConcurrent: 100%
              trial: 2s
            """));
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
  }

  private static Path models() {
    return ProjectPaths.root().resolve("model/fixtures/models");
  }

  /** The regimes change on the devices' own clock; the test only lets time pass between them. */
  private static void pause(Duration duration) {
    await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
  }
}
