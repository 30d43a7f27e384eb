package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample a user applies first is accepted by a real API server, as written. */
class SamplesTest {

  static Stream<Path> sampleFolders() throws IOException {
    return Files.list(ProjectPaths.root().resolve("samples"))
        .filter(Files::isDirectory)
        .filter(dir -> !dir.getFileName().toString().equals("invalid"))
        .sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleFolders")
  void sampleAppliesCleanly(Path folder) {
    LocalControlPlane plane = LocalControlPlane.shared();
    String namespace = plane.createNamespace("samples-" + folder.getFileName());
    Kubectl kubectl = plane.kubectl();

    Kubectl.Result result =
        kubectl.exec("apply", "--server-side", "-n", namespace, "-f", folder.toString());

    assertThat(result.stderr()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(plane.client().resources(DeviceGroup.class).inNamespace(namespace).list().getItems())
        .hasSize(1);
    ModelRollout rollout =
        plane
            .client()
            .resources(ModelRollout.class)
            .inNamespace(namespace)
            .list()
            .getItems()
            .get(0);
    assertThat(rollout.getSpec().model.source.configMap.name)
        .as("the rollout's ConfigMap is part of the sample")
        .isEqualTo(
            plane
                .client()
                .configMaps()
                .inNamespace(namespace)
                .withName(rollout.getSpec().model.source.configMap.name)
                .get()
                .getMetadata()
                .getName());
  }
}
