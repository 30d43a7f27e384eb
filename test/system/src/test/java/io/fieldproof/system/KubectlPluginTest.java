package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl fieldproof} as a user runs it: kubectl finds the plugin on PATH and the plugin
 * calls kubectl against the local control plane. No operator runs here, so each rollout's status is
 * written through the status subresource from the fixtures in {@code kubectl-plugin/tests/fixtures}
 * (the plugin's unit tests render the same ones).
 */
class KubectlPluginTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = ProjectPaths.root().resolve("kubectl-plugin/tests/fixtures");

  private static Kubectl kubectl;
  private static String namespace;

  @BeforeAll
  static void groupAndRollout() {
    RequiredTool.find("python3", "install Python 3 (the plugin is a Python 3 script)");
    LocalControlPlane plane = LocalControlPlane.shared();
    namespace = plane.createNamespace("kubectl-plugin");
    kubectl = plane.kubectl();
    kubectl.run("apply", "-n", namespace, "-f", FIXTURES.resolve("devicegroup.json").toString());
    patchStatus("devicegroup", "pump-vibration", read("devicegroup-status.json"));
    createRollout("vib-anomaly-1-4-0", status -> {});
  }

  @Test
  void statusShowsTheGroupTheRolloutAndTheCohortsAsATree() {
    ProcessRun run = plugin(Map.of(), "status", "vib-anomaly-1-4-0", "-n", namespace);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout())
        .startsWith("DeviceGroup pump-vibration  ✔ Ready  13/14 online\n")
        .contains("├── currentModel   vibration-anomaly 1.3.0 (sha256 1a2b3c4d5e6f)")
        .contains("│   ├── ✖ Drifting        True   InputsDrifting  1 of 14 members")
        .contains("├── ModelRollout vib-anomaly-1-4-0  ॥ Paused")
        .contains("│   ├── step     4/5 manual pause")
        .contains("│   ├── devices  updated 3/12  inProgress 0  pending 7  failed 1  offline 1")
        .contains("│   │   ├── ✔ alarmRate              value 0.012  baseline 0.01  Pass")
        .contains("│       ├── ✖ esp32-a4cf12e0b3d7  Timeout       (3 attempts)")
        .contains("│   ├── 1.4.0  sha256 aa8c95b2b193  3 devices  vib-anomaly-1-4-0")
        .contains("    ├── ! esp32-a4cf12e0b3d9  Offline   gw-pumps")
        .doesNotContain("\033[");
  }

  @Test
  void statusOfAGroupListsItsRollouts() {
    ProcessRun run = plugin(Map.of(), "status", "-g", "pump-vibration", "-n", namespace);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).contains("ModelRollout vib-anomaly-1-4-0  ॥ Paused");
  }

  @Test
  void promoteAnnotatesTheCurrentStep() {
    createRollout("promote-me", status -> {});

    ProcessRun run = plugin(Map.of(), "promote", "promote-me", "-n", namespace);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).contains("promoted step 4/5 manual pause");
    assertThat(annotation("promote-me")).isEqualTo("4");
  }

  @Test
  void promoteRefusesARolloutThatIsNotAtAManualPause() {
    createRollout("updating", status -> progressing(status, 3, "Updating"));

    ProcessRun run = plugin(Map.of(), "promote", "updating", "-n", namespace);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .startsWith("error: ModelRollout updating is not at a manual pause")
        .contains("Progressing at step 3/5 setPercent 25 (Updating)");
    assertThat(annotation("updating")).isEmpty();
  }

  @Test
  void pauseAndResumeFlipSpecPaused() {
    createRollout("pause-me", status -> progressing(status, 3, "Updating"));

    assertThat(plugin(Map.of(), "pause", "pause-me", "-n", namespace).stdout())
        .contains("ModelRollout pause-me paused at step 3/5 setPercent 25");
    assertThat(paused("pause-me")).isEqualTo("true");
    assertThat(plugin(Map.of(), "resume", "pause-me", "-n", namespace).exitCode()).isZero();
    assertThat(paused("pause-me")).isEqualTo("false");
  }

  @Test
  void abortAnnotatesTheRolloutForTheOperatorToRollBack() {
    createRollout("abort-me", status -> progressing(status, 3, "Updating"));

    ProcessRun run = plugin(Map.of(), "abort", "abort-me", "-n", namespace);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout())
        .contains("the 3 devices already updated return to their previous model");
    assertThat(
            kubectl.run(
                "get",
                "modelrollout",
                "abort-me",
                "-n",
                namespace,
                "-o",
                "jsonpath={.metadata.annotations.fieldproof\\.io/abort}"))
        .isEqualTo("true");
  }

  @Test
  void anUnknownRolloutExitsWith1AndSaysSo() {
    for (String verb : List.of("status", "promote", "pause", "resume", "abort")) {
      ProcessRun run = plugin(Map.of(), verb, "nope", "-n", namespace);

      assertThat(run.exitCode()).as(verb).isEqualTo(1);
      assertThat(run.stderr())
          .as(verb)
          .isEqualTo("error: ModelRollout \"nope\" not found in namespace \"kubectl-plugin\"\n");
    }
  }

  @Test
  void aMissingKubectlIsNamed() {
    ProcessRun run =
        plugin(Map.of("KUBECTL", "/nonexistent/kubectl"), "status", "x", "-n", namespace);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).startsWith("error: kubectl not found (tried '/nonexistent/kubectl')");
  }

  @Test
  void watchEndsWhenTheRolloutSucceeds() {
    createRollout(
        "done",
        status -> {
          status.put("phase", "Succeeded");
          status.put("currentStep", 6);
        });

    ProcessRun run = plugin(Map.of(), "status", "done", "--watch", "-n", namespace);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).contains("ModelRollout done  ✔ Succeeded").contains("5/5 done");
  }

  @Test
  void labelAppliesOneCaptureLabelPerWindowAndRelabelingReplacesTheVerdict() {
    String window =
        namespace
            + "/pump-vibration/"
            + "ab".repeat(32)
            + "/alarm/esp32-a4cf12409817/1765000000123-0123456789ab.json";

    ProcessRun first = plugin(Map.of(), "label", window, "falseAlarm", "-n", namespace);
    ProcessRun second =
        plugin(Map.of(), "label", window, "trueAlarm", "--note", "bearing worn", "-n", namespace);

    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(second.exitCode()).as(second.describe()).isZero();
    String labels =
        kubectl.run(
            "get",
            "capturelabels",
            "-n",
            namespace,
            "-o",
            "jsonpath={range .items[*]}{.spec.window}={.spec.label}/{.spec.note}{\"\\n\"}{end}");
    assertThat(labels.lines()).containsExactly(window + "=trueAlarm/bearing worn");
  }

  @Test
  void labelRefusesWhatIsNotACapturedWindowBeforeAskingTheCluster() {
    ProcessRun run =
        plugin(
            Map.of(),
            "label",
            namespace + "/pump-vibration/" + "ab".repeat(32) + "/alarm/esp32-a4cf12409817/x.json",
            "falseAlarm",
            "-n",
            namespace);

    assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
    assertThat(run.stderr()).contains("not a captured window's key");
  }

  @Test
  void kubectlListsThePlugin() {
    ProcessRun run =
        ProcessRun.of(
            List.of(kubectlBinary().toString(), "plugin", "list", "--name-only"),
            environment(Map.of()),
            Duration.ofSeconds(30));

    assertThat(run.stdout()).as(run.describe()).contains("kubectl-fieldproof");
  }

  private static ProcessRun plugin(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(kubectlBinary().toString(), "fieldproof"));
    command.addAll(List.of(args));
    return ProcessRun.of(command, environment(env), Duration.ofSeconds(60));
  }

  /** The plugin's folder and the control plane's kubectl first on PATH, as after installing. */
  private static Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put(
        "PATH",
        ProjectPaths.root().resolve("kubectl-plugin")
            + File.pathSeparator
            + kubectlBinary().getParent()
            + File.pathSeparator
            + System.getenv("PATH"));
    env.put("KUBECONFIG", LocalControlPlane.shared().kubeconfig().toString());
    env.remove("NO_COLOR");
    return env;
  }

  private static Path kubectlBinary() {
    return ProjectPaths.controlPlaneDir()
        .resolve("k8s")
        .resolve(LocalControlPlane.K8S_VERSION + "-linux-amd64")
        .resolve("kubectl");
  }

  /** Applies the fixture rollout under another name, then writes its (edited) fixture status. */
  private static void createRollout(String name, Consumer<ObjectNode> editStatus) {
    ObjectNode rollout = read("modelrollout.json");
    ((ObjectNode) rollout.get("metadata")).put("name", name);
    kubectl.run("apply", "-n", namespace, "-f", write(rollout).toString());
    ObjectNode status = read("modelrollout-status.json");
    editStatus.accept((ObjectNode) status.get("status"));
    patchStatus("modelrollout", name, status);
  }

  private static void progressing(ObjectNode status, int step, String reason) {
    status.put("phase", "Progressing");
    status.put("currentStep", step);
    status
        .withArray("conditions")
        .forEach(
            c -> {
              if ("Progressing".equals(c.get("type").asText())) {
                ((ObjectNode) c).put("status", "True").put("reason", reason);
              }
            });
  }

  private static void patchStatus(String resource, String name, ObjectNode patch) {
    kubectl.run(
        "patch",
        resource,
        name,
        "-n",
        namespace,
        "--subresource=status",
        "--type=merge",
        "--patch-file",
        write(patch).toString());
  }

  private static String annotation(String rollout) {
    return kubectl.run(
        "get",
        "modelrollout",
        rollout,
        "-n",
        namespace,
        "-o",
        "jsonpath={.metadata.annotations.fieldproof\\.io/promote}");
  }

  private static String paused(String rollout) {
    return kubectl.run(
        "get", "modelrollout", rollout, "-n", namespace, "-o", "jsonpath={.spec.paused}");
  }

  private static ObjectNode read(String fixture) {
    try {
      return (ObjectNode) JSON.readTree(FIXTURES.resolve(fixture).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(ObjectNode node) {
    try {
      Path file = Files.createTempFile("kubectl-plugin", ".json");
      file.toFile().deleteOnExit();
      JSON.writeValue(file.toFile(), node);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
