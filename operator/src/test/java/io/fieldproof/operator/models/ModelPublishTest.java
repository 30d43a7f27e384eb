package io.fieldproof.operator.models;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
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
import java.util.Base64;
import java.util.function.Consumer;
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
  void whatARolloutPutsOnDevicesCannotBeEditedWhileItRuns() throws Exception {
    String ns = plane.createNamespace("models-edited");
    byte[] vibration = fixture(VIBRATION_MODEL);
    apply(ns, "esp32-vibration");
    awaitValidated(ns, "vib-anomaly-1-4-0");
    ModelRollout other = sampleRollout("stm32-temperature");

    assertEditRefused(ns, "vib-anomaly-1-4-0", r -> r.getSpec().model = other.getSpec().model);
    assertEditRefused(
        ns, "vib-anomaly-1-4-0", r -> r.getSpec().deviceGroup = other.getSpec().deviceGroup);
    assertEditRefused(ns, "vib-anomaly-1-4-0", r -> r.getSpec().model.version = "1.4.1");
    rollouts(ns)
        .withName("vib-anomaly-1-4-0")
        .edit(
            r -> {
              r.getSpec().paused = true;
              return r;
            });
    assertThat(rollouts(ns).withName("vib-anomaly-1-4-0").get().getSpec().paused)
        .as("how a rollout goes stays editable")
        .isTrue();

    try (RetainedModelTopics retained = RetainedModelTopics.subscribe(ns)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(joinedChunks(retained, Sha256.hex(vibration))).isEqualTo(vibration);
                assertThat(retained.topics().keySet())
                    .allMatch(topic -> topic.contains(Sha256.hex(vibration)));
              });
    }
  }

  @Test
  void aModelFileChangedUnderItsRolloutFailsTheRolloutAndIsNeverPublished() throws Exception {
    String ns = plane.createNamespace("models-file-changed");
    byte[] vibration = fixture(VIBRATION_MODEL);
    byte[] temperature = fixture(TEMPERATURE_MODEL);
    plane
        .kubectl()
        .run("apply", "--server-side", "-n", ns, "-f", sample("esp32-vibration/devicegroup.yaml"));
    plane
        .kubectl()
        .run(
            "apply",
            "--server-side",
            "-n",
            ns,
            "-f",
            sample("esp32-vibration/model-configmap.yaml"));
    ModelRollout unpinned = sampleRollout("esp32-vibration");
    unpinned.getSpec().model.sha256 = null;
    rollouts(ns).resource(unpinned).create();
    awaitValidated(ns, "vib-anomaly-1-4-0");

    client
        .configMaps()
        .inNamespace(ns)
        .withName("vib-anomaly-1-4-0")
        .edit(
            map -> {
              map.getBinaryData()
                  .put("model.tflite", Base64.getEncoder().encodeToString(temperature));
              return map;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ModelRolloutStatus status =
                  rollouts(ns).withName("vib-anomaly-1-4-0").get().getStatus();
              assertThat(status.phase).isEqualTo(ModelRolloutStatus.Phase.FAILED);
              assertThat(status.message)
                  .contains("spec.model.source: the model file changed under the rollout")
                  .contains(Sha256.hex(temperature));
              assertThat(status.model.sha256)
                  .as("status goes on naming the model the rollout started with")
                  .isEqualTo(Sha256.hex(vibration));
            });
    try (RetainedModelTopics retained = RetainedModelTopics.subscribe(ns)) {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(retained.topics().keySet())
                      .noneMatch(topic -> topic.contains(Sha256.hex(temperature))));
    }
  }

  /** The API server refuses the edit, naming the field and what to do instead. */
  private void assertEditRefused(String ns, String name, Consumer<ModelRollout> change) {
    assertThatThrownBy(
            () ->
                rollouts(ns)
                    .withName(name)
                    .edit(
                        r -> {
                          change.accept(r);
                          return r;
                        }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.")
        .hasMessageContaining("cannot change once the rollout exists: create a new ModelRollout");
  }

  private NonNamespaceOperation<
          ModelRollout, KubernetesResourceList<ModelRollout>, Resource<ModelRollout>>
      rollouts(String ns) {
    return client.resources(ModelRollout.class).inNamespace(ns);
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
