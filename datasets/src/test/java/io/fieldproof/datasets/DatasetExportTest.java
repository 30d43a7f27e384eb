package io.fieldproof.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec.Verdict;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.protocol.capture.CaptureTrigger;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.SeaweedStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Dataset export against a real SeaweedFS and a real API server: windows uploaded under their
 * capture keys with metadata, CaptureLabels on some of them, and exports that select by model,
 * trigger and label.
 */
class DatasetExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OLD = "a".repeat(64);
  private static final String NEW = "b".repeat(64);
  private static final String DEVICE = "esp32-a4cf12409817";

  private static SeaweedStore store;
  private static S3Client admin;
  private static KubernetesClient kubernetes;
  private static String namespace;
  private static String falseAlarmKey;
  private static String trueAlarmKey;
  private static String unlabeledKey;
  private static String driftKey;
  private static String newModelKey;

  @BeforeAll
  static void windowsAndLabels() {
    store = SeaweedStore.start("datasets-test");
    admin = store.client(store.adminKey());
    LocalControlPlane plane = LocalControlPlane.shared();
    kubernetes = plane.client();
    namespace = plane.createNamespace("datasets");
    falseAlarmKey = put(OLD, CaptureTrigger.ALARM, 1, "{\"n\":1}");
    trueAlarmKey = put(OLD, CaptureTrigger.ALARM, 2, "{\"n\":2}");
    unlabeledKey = put(OLD, CaptureTrigger.ALARM, 3, "{\"n\":3}");
    driftKey = put(OLD, CaptureTrigger.DRIFT, 4, "{\"n\":4}");
    newModelKey = put(NEW, CaptureTrigger.ALARM, 5, "{\"n\":5}");
    admin.putObject(
        b -> b.bucket(store.bucket()).key(namespace + "/pump-vibration/stray.txt"),
        RequestBody.fromString("not a window"));
    label(falseAlarmKey, Verdict.FALSE_ALARM, "door open");
    label(trueAlarmKey, Verdict.TRUE_ALARM, null);
    label(driftKey, Verdict.SENSOR_FAULT, null);
  }

  @AfterAll
  static void stop() {
    admin.close();
    store.close();
  }

  @Test
  void anExportOfAModelsAlarmsHoldsEachWindowItsLabelAndMetadata(@TempDir Path out)
      throws IOException {
    DatasetExport.Summary summary =
        export(new DatasetQuery(namespace, "pump-vibration", OLD, "alarm", Set.of()), out);

    assertThat(summary.windows()).isEqualTo(3);
    assertThat(summary.byLabel())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("falseAlarm", 1, "trueAlarm", 1, DatasetQuery.UNLABELED, 1));
    List<JsonNode> manifest = manifest(out);
    assertThat(manifest)
        .extracting(m -> m.get("key").asText())
        .containsExactly(falseAlarmKey, trueAlarmKey, unlabeledKey);
    JsonNode first = manifest.get(0);
    assertThat(first.get("label").asText()).isEqualTo("falseAlarm");
    assertThat(first.get("note").asText()).isEqualTo("door open");
    assertThat(first.get("device").asText()).isEqualTo(DEVICE);
    assertThat(first.get("modelSha256").asText()).isEqualTo(OLD);
    assertThat(first.get("metadata").get("gateway").asText()).isEqualTo("gw-1");
    byte[] window = Files.readAllBytes(out.resolve(first.get("window").asText()));
    assertThat(new String(window, StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
    assertThat(first.get("sha256").asText()).isEqualTo(Sha256.hex(window));
    JsonNode description = JSON.readTree(out.resolve("dataset.json").toFile());
    assertThat(description.get("format").asText()).isEqualTo("fieldproof-dataset/v1");
    assertThat(description.get("windows").asInt()).isEqualTo(3);
  }

  @Test
  void labelsSelectAndObjectsThatAreNotWindowsAreSkippedAndNamed(@TempDir Path out)
      throws IOException {
    DatasetExport.Summary summary =
        export(
            new DatasetQuery(
                namespace, "pump-vibration", null, null, Set.of("falseAlarm", "sensorFault")),
            out);

    assertThat(manifest(out))
        .extracting(m -> m.get("key").asText())
        .containsExactlyInAnyOrder(falseAlarmKey, driftKey);
    assertThat(summary.skipped()).isEqualTo(1);
    assertThat(summary.problems()).singleElement().asString().contains("stray.txt");
  }

  @Test
  void theCommandLineExportsWithTheStoreFromTheEnvironmentAndTheClusterFromKubeconfig(
      @TempDir Path out) throws IOException {
    System.setProperty("kubeconfig", LocalControlPlane.shared().kubeconfig().toString());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code =
        DatasetCli.run(
            new String[] {
              "export",
              "-n",
              namespace,
              "-g",
              "pump-vibration",
              "--model",
              NEW,
              "--out",
              out.toString()
            },
            Map.of(
                "FIELDPROOF_STORE_ENDPOINT", store.endpoint().toString(),
                "FIELDPROOF_STORE_BUCKET", store.bucket(),
                "FIELDPROOF_STORE_ACCESS_KEY_ID", store.adminKey().accessKeyId(),
                "FIELDPROOF_STORE_SECRET_ACCESS_KEY", store.adminKey().secretAccessKey()),
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            System.err);

    assertThat(code).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("exported 1 windows");
    assertThat(manifest(out))
        .singleElement()
        .satisfies(m -> assertThat(m.get("modelSha256").asText()).isEqualTo(NEW));
  }

  @Test
  void aListPrintsTheLabelAndKeyOfEachSelectedWindowSortedByKeyAndNothingElse() {
    Run run =
        cli(storeEnvironment(), "list", "-n", namespace, "-g", "pump-vibration", "--model", OLD);

    assertThat(run.code()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "falseAlarm\t" + falseAlarmKey,
            "trueAlarm\t" + trueAlarmKey,
            DatasetQuery.UNLABELED + "\t" + unlabeledKey,
            "sensorFault\t" + driftKey);
    assertThat(run.err()).contains("listed 4 windows");
  }

  @Test
  void aListOfTheUnlabeledWindowsOfAGroupNamesWhatItSkippedOnStderr() {
    Run run =
        cli(
            storeEnvironment(),
            "list",
            "-n",
            namespace,
            "-g",
            "pump-vibration",
            "--label",
            "unlabeled");

    assertThat(run.code()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            DatasetQuery.UNLABELED + "\t" + unlabeledKey,
            DatasetQuery.UNLABELED + "\t" + newModelKey);
    assertThat(run.err()).contains("listed 2 windows").contains("skipped: ").contains("stray.txt");
  }

  @Test
  void bothCommandsTakeTheStoreFromASecretInTheNamespaceOverTheEnvironment(@TempDir Path out)
      throws IOException {
    secret(
        "capture-reader",
        Map.of(
            "endpoint", store.endpoint().toString(),
            "bucket", store.bucket(),
            "accessKeyId", store.adminKey().accessKeyId(),
            "secretAccessKey", store.adminKey().secretAccessKey() + "\n"));
    Map<String, String> wrongStore =
        Map.of(
            "FIELDPROOF_STORE_ENDPOINT", "http://127.0.0.1:1",
            "FIELDPROOF_STORE_BUCKET", "not-the-bucket",
            "FIELDPROOF_STORE_ACCESS_KEY_ID", "nobody",
            "FIELDPROOF_STORE_SECRET_ACCESS_KEY", "nothing");

    Run list =
        cli(
            wrongStore,
            "list",
            "-n",
            namespace,
            "-g",
            "pump-vibration",
            "--model",
            NEW,
            "--store-secret",
            "capture-reader");
    Run export =
        cli(
            wrongStore,
            "export",
            "-n",
            namespace,
            "-g",
            "pump-vibration",
            "--trigger",
            "drift",
            "--store-secret",
            "capture-reader",
            "--out",
            out.toString());

    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out().lines()).containsExactly(DatasetQuery.UNLABELED + "\t" + newModelKey);
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(manifest(out)).extracting(m -> m.get("key").asText()).containsExactly(driftKey);
    assertThat(list.out() + list.err() + export.out() + export.err())
        .doesNotContain(store.adminKey().secretAccessKey());
  }

  @Test
  void aStoreSecretWithoutAKeyOrNoSecretAtAllIsRefusedNamingItAndPrintsNoValue() {
    secret(
        "capture-reader-no-secret",
        Map.of(
            "endpoint", store.endpoint().toString(),
            "bucket", store.bucket(),
            "accessKeyId", store.adminKey().accessKeyId()));

    Run noKey =
        cli(
            storeEnvironment(),
            "list",
            "-n",
            namespace,
            "-g",
            "pump-vibration",
            "--store-secret",
            "capture-reader-no-secret");
    Run noSecret =
        cli(
            storeEnvironment(),
            "list",
            "-n",
            namespace,
            "-g",
            "pump-vibration",
            "--store-secret",
            "not-there");

    assertThat(noKey.code()).isEqualTo(2);
    assertThat(noKey.out()).isEmpty();
    assertThat(noKey.err())
        .contains("Secret " + namespace + "/capture-reader-no-secret has no key secretAccessKey")
        .doesNotContain(store.adminKey().accessKeyId())
        .doesNotContain(store.endpoint().toString());
    assertThat(noSecret.code()).isEqualTo(2);
    assertThat(noSecret.err()).contains("Secret " + namespace + "/not-there").contains("not found");
  }

  /** What one run of the CLI returned and printed. */
  private record Run(int code, String out, String err) {}

  private static Run cli(Map<String, String> env, String... args) {
    System.setProperty("kubeconfig", LocalControlPlane.shared().kubeconfig().toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DatasetCli.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> storeEnvironment() {
    return Map.of(
        "FIELDPROOF_STORE_ENDPOINT", store.endpoint().toString(),
        "FIELDPROOF_STORE_BUCKET", store.bucket(),
        "FIELDPROOF_STORE_ACCESS_KEY_ID", store.adminKey().accessKeyId(),
        "FIELDPROOF_STORE_SECRET_ACCESS_KEY", store.adminKey().secretAccessKey());
  }

  private static void secret(String name, Map<String, String> values) {
    kubernetes
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(values)
                .build())
        .create();
  }

  private static DatasetExport.Summary export(DatasetQuery query, Path out) {
    List<CaptureLabel> labels =
        kubernetes.resources(CaptureLabel.class).inNamespace(namespace).list().getItems();
    return new DatasetExport(new WindowStore(admin, store.bucket()), LabelBook.of(labels))
        .export(query, out);
  }

  private static List<JsonNode> manifest(Path out) throws IOException {
    return Files.readAllLines(out.resolve("manifest.jsonl")).stream()
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static String put(String model, CaptureTrigger trigger, long at, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String key =
        new CaptureKey(
                namespace,
                "pump-vibration",
                model,
                trigger,
                DEVICE,
                1_765_000_000_000L + at,
                CaptureKey.digestOf(bytes))
            .key();
    admin.putObject(
        b -> b.bucket(store.bucket()).key(key).metadata(Map.of("gateway", "gw-1")),
        RequestBody.fromBytes(bytes));
    return key;
  }

  private static void label(String window, Verdict verdict, String note) {
    CaptureLabel label = new CaptureLabel();
    label.setMetadata(
        new ObjectMetaBuilder()
            .withName("w-" + Sha256.hex(window.getBytes()).substring(0, 16))
            .build());
    label.setSpec(new CaptureLabelSpec());
    label.getSpec().window = window;
    label.getSpec().label = verdict;
    label.getSpec().note = note;
    kubernetes.resource(label).inNamespace(namespace).create();
  }
}
