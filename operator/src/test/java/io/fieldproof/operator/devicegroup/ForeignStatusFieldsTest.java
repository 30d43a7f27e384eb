package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.FleetTestResource;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fields that another writer put in a group's status (a {@code kubectl patch --subresource=status},
 * as the kubectl plugin's tests do, or an operator of another version) and that the operator does
 * not compute are removed by its next status write: the stored status becomes the computed one, so
 * the following reconciles find nothing changed and write nothing. With a server-side apply those
 * fields, owned by the other field manager, stayed; the stored status never equalled the computed
 * one and every reconcile of the group wrote it again (an extra write seen after each operator
 * restart in OperatorRestartTest, from a group the kubectl plugin's test had left).
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class ForeignStatusFieldsTest {

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void fieldsAnotherWriterLeftInTheStatusAreRemovedByTheNextWrite() throws Exception {
    String ns = plane.createNamespace("foreign-status");
    String sample =
        Files.readString(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml"));
    String selector = sample.substring(sample.indexOf("  selector:"), sample.indexOf("  inputs:"));
    Path file = Files.createTempFile("foreign-status-", ".yaml");
    Files.writeString(
        file, sample.replace(selector, "  selector:\n    matchLabels:\n      nobody: \"here\"\n"));
    plane.kubectl().run("apply", "--server-side", "-n", ns, "-f", file.toString());
    Files.delete(file);
    await().atMost(Duration.ofSeconds(60)).until(() -> group(ns).getStatus() != null);
    assertThat(group(ns).getStatus().activeRollout).isNull();

    client
        .resources(DeviceGroup.class)
        .inNamespace(ns)
        .withName("pump-vibration")
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-patch")
                .build(),
            """
            {"status": {"activeRollout": "vib-anomaly-1-4-0",
                        "currentModel": {"name": "vibration-anomaly", "version": "1.3.0",
                                         "sha256": "%s"}}}
            """
                .formatted("1a".repeat(32)));
    assertThat(group(ns).getStatus().activeRollout).isEqualTo("vib-anomaly-1-4-0");

    // a spec change: the group is reconciled and its status written for generation 2
    client
        .resources(DeviceGroup.class)
        .inNamespace(ns)
        .withName("pump-vibration")
        .edit(
            g -> {
              g.getSpec().telemetry.reportIntervalSeconds =
                  g.getSpec().telemetry.reportIntervalSeconds + 1;
              return g;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(group(ns).getStatus().observedGeneration).isEqualTo(2L));
    assertThat(group(ns).getStatus().activeRollout)
        .as("a rollout name another writer left in the status")
        .isNull();
    assertThat(group(ns).getStatus().currentModel)
        .as("a model another writer left in the status")
        .isNull();
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
  }
}
