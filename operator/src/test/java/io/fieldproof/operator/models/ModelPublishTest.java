package io.fieldproof.operator.models;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.operator.FleetTestResource;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Model distribution as the agents see it: the operator against a real API server publishes the
 * models of its ModelRollouts on a real Mosquitto and retracts them, read back by raw subscribers.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class ModelPublishTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String VIBRATION_MODEL = "model/fixtures/models/dense_anomaly_v2.tflite";
  private static final String TEMPERATURE_MODEL =
      "model/fixtures/models/logistic_temperature.tflite";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void theSampleRolloutsModelIsPublishedInChunksAndRetractedWithTheRollout() throws Exception {
    String ns = plane.createNamespace("models-sample");
    byte[] model = fixture(VIBRATION_MODEL);
    String sha = Sha256.hex(model);
    apply(ns, "esp32-vibration");

    try (RetainedModelTopics retained = RetainedModelTopics.subscribe(ns)) {
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(joinedChunks(retained, sha)).isEqualTo(model));
      ModelManifest manifest = retained.manifest(sha).orElseThrow();
      assertThat(manifest.size()).isEqualTo(3312);
      assertThat(manifest.chunkSize()).isEqualTo(1024);
      assertThat(manifest.chunks()).hasSize(4);
      assertThat(manifest.name()).isEqualTo("vibration-anomaly");
      assertThat(manifest.version()).isEqualTo("1.4.0");
      for (int i = 0; i < 4; i++) {
        assertThat(Sha256.hex(retained.chunk(sha, i).orElseThrow()))
            .isEqualTo(manifest.chunks().get(i));
      }
      assertThat(retained.topics()).hasSize(5);
    }

    deleteRollout(ns, "vib-anomaly-1-4-0");

    assertNothingRetained(ns);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern("fieldproof_models_chunks_published_total(\\{[^}]*\\})? [1-9]")
        .containsPattern("fieldproof_models_retracted_total(\\{[^}]*\\})? [1-9]");
  }

  @Test
  void aModelSharedByTwoRolloutsStaysUntilTheLastGoes() throws Exception {
    String ns = plane.createNamespace("models-shared");
    byte[] model = fixture(VIBRATION_MODEL);
    String sha = Sha256.hex(model);
    apply(ns, "esp32-vibration");
    ModelRollout twin = sampleRollout("esp32-vibration");
    twin.getMetadata().setName("vib-anomaly-twin");
    client.resource(twin).inNamespace(ns).create();
    awaitValidated(ns, "vib-anomaly-twin");
    awaitValidated(ns, "vib-anomaly-1-4-0");

    deleteRollout(ns, "vib-anomaly-1-4-0");

    try (RetainedModelTopics retained = RetainedModelTopics.subscribe(ns)) {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(joinedChunks(retained, sha)).isEqualTo(model));
    }

    deleteRollout(ns, "vib-anomaly-twin");

    assertNothingRetained(ns);
  }

  @Test
  void aRolloutChangedToAnotherModelRetractsTheOldOne() throws Exception {
    String ns = plane.createNamespace("models-changed");
    byte[] vibration = fixture(VIBRATION_MODEL);
    byte[] temperature = fixture(TEMPERATURE_MODEL);
    apply(ns, "esp32-vibration");
    plane
        .kubectl()
        .run(
            "apply", "--server-side", "-n", ns, "-f", sample("stm32-temperature/devicegroup.yaml"));
    plane
        .kubectl()
        .run(
            "apply",
            "--server-side",
            "-n",
            ns,
            "-f",
            sample("stm32-temperature/model-configmap.yaml"));
    try (RetainedModelTopics retained = RetainedModelTopics.subscribe(ns)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(joinedChunks(retained, Sha256.hex(vibration))).isEqualTo(vibration));

      ModelRollout other = sampleRollout("stm32-temperature");
      client
          .resources(ModelRollout.class)
          .inNamespace(ns)
          .withName("vib-anomaly-1-4-0")
          .edit(
              rollout -> {
                rollout.getSpec().deviceGroup = other.getSpec().deviceGroup;
                rollout.getSpec().model = other.getSpec().model;
                return rollout;
              });

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(joinedChunks(retained, Sha256.hex(temperature))).isEqualTo(temperature);
                assertThat(retained.topics().keySet())
                    .allMatch(topic -> topic.contains(Sha256.hex(temperature)));
              });
    }
  }

  /** The chunks the manifest lists, joined in order; empty while any is missing. */
  private static byte[] joinedChunks(RetainedModelTopics retained, String sha) {
    ModelManifest manifest = retained.manifest(sha).orElse(null);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    if (manifest == null) {
      return joined.toByteArray();
    }
    for (int i = 0; i < manifest.chunks().size(); i++) {
      retained.chunk(sha, i).ifPresent(joined::writeBytes);
    }
    return joined.toByteArray();
  }

  private static void assertNothingRetained(String ns) throws Exception {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              try (RetainedModelTopics fresh = RetainedModelTopics.subscribe(ns)) {
                await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(fresh.topics()).isEmpty());
              }
            });
  }

  private void deleteRollout(String ns, String name) {
    client.resources(ModelRollout.class).inNamespace(ns).withName(name).delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(ModelRollout.class).inNamespace(ns).withName(name).get() == null);
  }

  private void awaitValidated(String ns, String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ModelRollout rollout =
                  client.resources(ModelRollout.class).inNamespace(ns).withName(name).get();
              assertThat(rollout.getStatus()).isNotNull();
              assertThat(rollout.getStatus().model).isNotNull();
            });
  }

  private void apply(String ns, String sampleDir) {
    plane.kubectl().run("apply", "--server-side", "-n", ns, "-f", sample(sampleDir));
  }

  private ModelRollout sampleRollout(String sampleDir) {
    return client
        .resources(ModelRollout.class)
        .load(
            ProjectPaths.root()
                .resolve("samples")
                .resolve(sampleDir)
                .resolve("modelrollout.yaml")
                .toFile())
        .item();
  }

  private static String sample(String path) {
    return ProjectPaths.root().resolve("samples").resolve(path).toString();
  }

  private static byte[] fixture(String path) throws Exception {
    return Files.readAllBytes(ProjectPaths.root().resolve(path));
  }
}
