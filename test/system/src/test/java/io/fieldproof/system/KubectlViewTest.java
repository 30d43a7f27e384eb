package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a user sees of both kinds through kubectl: columns, short names, category, docs. */
class KubectlViewTest {

  private static Kubectl kubectl;
  private static String namespace;

  @BeforeAll
  static void applySamples() {
    LocalControlPlane plane = LocalControlPlane.shared();
    namespace = plane.createNamespace("kubectl-view");
    kubectl = plane.kubectl();
    kubectl.run(
        "apply",
        "--server-side",
        "-n",
        namespace,
        "-f",
        ProjectPaths.root().resolve("samples/esp32-vibration").toString());
  }

  @Test
  void shortNamesShowThePrinterColumns() {
    String output = kubectl.run("get", "dg,mr", "-n", namespace);

    assertThat(output)
        .containsPattern("NAME\\s+DEVICES\\s+HEALTHY\\s+MODEL\\s+ROLLOUT\\s+READY\\s+AGE")
        .containsPattern(
            "NAME\\s+GROUP\\s+MODEL\\s+VERSION\\s+PHASE\\s+STEP\\s+UPDATED\\s+FAILED\\s+AGE")
        .contains("devicegroup.fieldproof.io/pump-vibration")
        .containsPattern(
            "modelrollout.fieldproof.io/vib-anomaly-1-4-0\\s+pump-vibration\\s+vibration-anomaly\\s+1.4.0");
  }

  @Test
  void wideOutputAddsTheModelVersion() {
    assertThat(kubectl.run("get", "dg", "-o", "wide", "-n", namespace))
        .containsPattern("MODEL\\s+VERSION\\s+ROLLOUT");
  }

  @Test
  void theCategoryListsBothKinds() {
    assertThat(kubectl.run("get", "fieldproof", "-n", namespace))
        .contains("devicegroup.fieldproof.io/pump-vibration")
        .contains("modelrollout.fieldproof.io/vib-anomaly-1-4-0");
  }

  @Test
  void explainShowsFieldDescriptions() {
    assertThat(kubectl.run("explain", "devicegroup.spec.inputs"))
        .contains("The model's input features, in order")
        .contains("stuckSamples")
        .contains("identical consecutive readings");
    assertThat(kubectl.run("explain", "mr.spec.strategy.steps"))
        .contains("Ordered steps")
        .contains("setPercent")
        .contains("Update members until this percent");
    assertThat(kubectl.run("explain", "mr.status.phase"))
        .contains("Pending, Validating, Progressing, Paused")
        .contains("ENUM:")
        .contains("RolledBack");
  }
}
