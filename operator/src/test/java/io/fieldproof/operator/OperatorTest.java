package io.fieldproof.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator, as Quarkus runs it, against a real kube-apiserver + etcd. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class OperatorTest {

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final Kubectl kubectl = plane.kubectl();

  @Test
  void reconcilesTheSamplesAndReportsConditions() {
    String ns = plane.createNamespace("operator-samples");
    kubectl.run("apply", "--server-side", "-n", ns, "-f", sample("esp32-vibration"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              DeviceGroup group =
                  client
                      .resources(DeviceGroup.class)
                      .inNamespace(ns)
                      .withName("pump-vibration")
                      .get();
              assertThat(group.getStatus()).isNotNull();
              assertThat(group.getStatus().observedGeneration)
                  .isEqualTo(group.getMetadata().getGeneration());
              assertThat(condition(group.getStatus().conditions, "Ready"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("NoMembers");
                        assertThat(c.getObservedGeneration()).isEqualTo(1L);
                      });
              assertThat(group.getStatus().conditions)
                  .extracting(Condition::getType)
                  .containsExactly(
                      "Ready",
                      "Degraded",
                      "ModelConverged",
                      "Drifting",
                      "Conflict",
                      "Reconciling",
                      "Stalled");
              assertThat(group.getStatus().devices.summary).isEqualTo("0/0");
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ModelRollout rollout =
                  client
                      .resources(ModelRollout.class)
                      .inNamespace(ns)
                      .withName("vib-anomaly-1-4-0")
                      .get();
              assertThat(rollout.getStatus()).isNotNull();
              assertThat(rollout.getStatus().observedGeneration).isEqualTo(1L);
              assertThat(rollout.getStatus().phase).isEqualTo(Phase.PENDING);
              assertThat(condition(rollout.getStatus().conditions, "Validated"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("Verified");
                      });
              assertThat(rollout.getStatus().model.sha256)
                  .isEqualTo(rollout.getSpec().model.sha256);
            });

    String table = kubectl.run("get", "dg,mr", "-n", ns);
    assertThat(table)
        .containsPattern(
            "devicegroup.fieldproof.io/pump-vibration\\s+0/0\\s+0\\s+vib-anomaly-1-4-0\\s+False")
        .containsPattern(
            "modelrollout.fieldproof.io/vib-anomaly-1-4-0\\s+pump-vibration\\s+vibration-anomaly\\s+1.4.0\\s+Pending\\s+0\\s+0\\s+0");
  }

  @Test
  void aWrongSha256FailsTheRolloutWithTheCause() {
    String ns = plane.createNamespace("operator-bad-sha");
    kubectl.run(
        "apply", "--server-side", "-n", ns, "-f", sample("stm32-temperature/devicegroup.yaml"));
    kubectl.run(
        "apply", "--server-side", "-n", ns, "-f", sample("stm32-temperature/model-configmap.yaml"));
    ModelRollout wrong =
        client
            .resources(ModelRollout.class)
            .load(
                ProjectPaths.root().resolve("samples/stm32-temperature/modelrollout.yaml").toFile())
            .item();
    wrong.getSpec().model.sha256 = "0".repeat(64);
    client.resource(wrong).inNamespace(ns).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ModelRollout rollout =
                  client
                      .resources(ModelRollout.class)
                      .inNamespace(ns)
                      .withName("temp-guard-2-1-0")
                      .get();
              assertThat(rollout.getStatus()).isNotNull();
              assertThat(rollout.getStatus().observedGeneration)
                  .isEqualTo(rollout.getMetadata().getGeneration());
              assertThat(rollout.getStatus().phase).isEqualTo(Phase.FAILED);
              assertThat(condition(rollout.getStatus().conditions, "Failed"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("Sha256Mismatch");
                        assertThat(c.getMessage())
                            .contains("spec.model.sha256")
                            .contains("0000000000");
                      });
            });
    assertThat(
            kubectl.run(
                "wait", "--for=condition=Failed", "--timeout=5s", "-n", ns, "mr/temp-guard-2-1-0"))
        .contains("condition met");
  }

  @Test
  void aRolloutWaitsForItsGroupWithoutRewritingStatus() {
    String ns = plane.createNamespace("operator-waiting");
    kubectl.run(
        "apply",
        "--server-side",
        "-n",
        ns,
        "-f",
        ProjectPaths.root().resolve("samples/esp32-vibration/model-configmap.yaml").toString());
    kubectl.run(
        "apply",
        "--server-side",
        "-n",
        ns,
        "-f",
        ProjectPaths.root().resolve("samples/esp32-vibration/modelrollout.yaml").toString());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(validated(ns))
                    .hasValueSatisfying(
                        c -> assertThat(c.getReason()).isEqualTo("DeviceGroupNotFound")));
    String version = rollout(ns).getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(rollout(ns).getMetadata().getResourceVersion()).isEqualTo(version));

    kubectl.run(
        "apply",
        "--server-side",
        "-n",
        ns,
        "-f",
        ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml").toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(validated(ns))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
  }

  @Test
  void aFloatModelFailsWithTheReasonAndIsNeverTargeted() throws Exception {
    String ns = plane.createNamespace("operator-float-model");
    kubectl.run(
        "apply", "--server-side", "-n", ns, "-f", sample("esp32-vibration/devicegroup.yaml"));
    byte[] floatModel =
        java.nio.file.Files.readAllBytes(
            ProjectPaths.root().resolve("model/fixtures/models/float_model.tflite"));
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("vib-anomaly-1-4-0")
                .endMetadata()
                .addToBinaryData(
                    "model.tflite", java.util.Base64.getEncoder().encodeToString(floatModel))
                .addToData("selftest.json", "{\"vectors\":[]}")
                .build())
        .create();
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(ProjectPaths.root().resolve("samples/esp32-vibration/modelrollout.yaml").toFile())
            .item();
    rollout.getSpec().model.sha256 = null;
    client.resource(rollout).inNamespace(ns).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ModelRollout current = rollout(ns);
              assertThat(current.getStatus()).isNotNull();
              assertThat(current.getStatus().phase).isEqualTo(Phase.FAILED);
              assertThat(condition(current.getStatus().conditions, "Failed"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getReason()).isEqualTo("FloatModel");
                        assertThat(c.getMessage()).startsWith("spec.model.source: ");
                      });
              assertThat(condition(current.getStatus().conditions, "Progressing"))
                  .hasValueSatisfying(
                      c -> assertThat(c.getMessage()).startsWith("nothing is flashed"));
            });
  }

  @Test
  void healthAndMetricsAreServed() {
    given().when().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory"));
  }

  private Optional<Condition> validated(String ns) {
    ModelRollout rollout = rollout(ns);
    return rollout.getStatus() == null
        ? Optional.empty()
        : condition(rollout.getStatus().conditions, "Validated");
  }

  private ModelRollout rollout(String ns) {
    return client.resources(ModelRollout.class).inNamespace(ns).withName("vib-anomaly-1-4-0").get();
  }

  private static String sample(String name) {
    return ProjectPaths.root().resolve("samples").resolve(name).toString();
  }

  private static Optional<Condition> condition(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
