package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample a user applies first is accepted by a real API server, as written, and carries a
 * fixture model with the sha256 its rollout names, that model's own golden vectors, and a decision
 * output the model has.
 */
class SamplesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleFolders")
  void sampleCarriesAFixtureModelWithItsGoldenVectors(Path folder) throws Exception {
    LocalControlPlane plane = LocalControlPlane.shared();
    ModelRollout rollout =
        plane
            .client()
            .resources(ModelRollout.class)
            .load(folder.resolve("modelrollout.yaml").toFile())
            .item();
    ConfigMap configMap =
        plane.client().configMaps().load(folder.resolve("model-configmap.yaml").toFile()).item();
    byte[] model =
        Base64.getDecoder()
            .decode(configMap.getBinaryData().get(rollout.getSpec().model.source.configMap.key));

    assertThat(sha256(model)).isEqualTo(rollout.getSpec().model.sha256);
    Path fixture = fixtureWithBytes(model);
    assertThat(fixture).as("the sample's model is one of model/fixtures/models").isNotNull();
    JsonNode selfTest =
        JSON.readTree(configMap.getData().get(rollout.getSpec().model.selfTest.configMap.key));
    List<JsonNode> golden = goldenVectors(fixture);
    DeviceGroup group =
        plane
            .client()
            .resources(DeviceGroup.class)
            .load(folder.resolve("devicegroup.yaml").toFile())
            .item();
    assertThat(group.getSpec().decision.output)
        .as("the group's decision output is one of the model's outputs")
        .isLessThan(golden.get(0).get("output").size());
    assertThat(selfTest.get("vectors")).isNotEmpty();
    for (int i = 0; i < selfTest.get("vectors").size(); i++) {
      assertThat(selfTest.get("vectors").get(i))
          .as("self-test vector %d of %s", i, fixture.getFileName())
          .isEqualTo(golden.get(i));
    }
  }

  private static Path fixtureWithBytes(byte[] model) throws IOException {
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve("model/fixtures/models"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tflite")).sorted().toList()) {
        if (Arrays.equals(Files.readAllBytes(file), model)) {
          return file;
        }
      }
    }
    return null;
  }

  /** The fixture's golden vectors in the samples' flat form: tensor 0 in, tensor 0 out. */
  private static List<JsonNode> goldenVectors(Path fixture) throws IOException {
    Path file =
        fixture.resolveSibling(fixture.getFileName().toString().replace(".tflite", ".golden.json"));
    List<JsonNode> vectors = new ArrayList<>();
    for (JsonNode vector : JSON.readTree(file.toFile()).get("vectors")) {
      ObjectNode flat = JSON.createObjectNode();
      flat.set("input", vector.get("input").get(0));
      flat.set("output", vector.get("output").get(0));
      vectors.add(flat);
    }
    return vectors;
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
