package io.fieldproof.operator.rollout.source;

import static io.fieldproof.operator.rollout.source.ModelServer.FIXTURE_SHA256;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.UrlSource;
import io.fieldproof.operator.rollout.ModelRolloutValidator;
import io.fieldproof.operator.rollout.Verdict;
import io.fieldproof.operator.rollout.Verdict.Outcome;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator with a url source, against the local control plane (for the DeviceGroup) and a
 * local HTTP server (for the model): the sample rollout, its ConfigMap replaced by a URL.
 */
class UrlSourceValidationTest {

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private ModelServer server;
  private ModelRolloutValidator validator;

  @BeforeEach
  void start() throws IOException {
    server = ModelServer.start();
    validator = validator(ModelServer.LOOPBACK_ALLOWED);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aModelServedAtTheUrlIsValidated() throws IOException {
    server.serve("/dense_anomaly.tflite", ModelServer.file(ModelServer.fixture()));
    String ns = namespaceWithTheSampleGroup("url-source-valid");

    Verdict verdict = validator.validate(rollout(ns, server.url("/dense_anomaly.tflite")));

    assertThat(verdict.outcome()).as(verdict.message()).isEqualTo(Outcome.VALID);
    assertThat(verdict.modelBytes()).isEqualTo(ModelServer.fixture());
    assertThat(verdict.model().sha256).isEqualTo(FIXTURE_SHA256);
  }

  @Test
  void aMissingFileKeepsTheRolloutWaiting() {
    server.serve("/later.tflite", ModelServer.status(404));
    String ns = namespaceWithTheSampleGroup("url-source-missing");

    Verdict verdict = validator.validate(rollout(ns, server.url("/later.tflite")));

    assertThat(verdict.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(verdict.reason()).isEqualTo("SourceNotFound");
  }

  @Test
  void aModelAtALoopbackAddressFailsTheRolloutByDefaultAndTheServerSeesNoRequest()
      throws IOException {
    server.serve("/dense_anomaly.tflite", ModelServer.file(ModelServer.fixture()));
    String ns = namespaceWithTheSampleGroup("url-source-refused");

    Verdict verdict =
        validator(AddressPolicy.defaults())
            .validate(rollout(ns, server.url("/dense_anomaly.tflite")));

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("SourceAddressRefused");
    assertThat(verdict.message())
        .startsWith(
            "spec.model.source.url "
                + server.url("/dense_anomaly.tflite")
                + " resolves to 127.0.0.1, a loopback address; allow it with"
                + " fieldproof.url-source.allowed-cidrs");
    assertThat(server.requests()).isZero();
  }

  private ModelRolloutValidator validator(AddressPolicy policy) {
    UrlModelSource urls =
        new UrlModelSource(
            new HttpModelFetcher(
                new FetchLimits(4L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5), 3),
                policy,
                HostResolver.SYSTEM,
                SourceTls.defaults()),
            new VerifiedModels(16L * 1024 * 1024),
            new FailureBackoff(Duration.ofSeconds(30), Duration.ofMinutes(5), new SteppedClock()));
    return new ModelRolloutValidator(client, urls, group -> java.util.Set.of());
  }

  private String namespaceWithTheSampleGroup(String name) {
    String ns = plane.createNamespace(name);
    plane
        .kubectl()
        .run(
            "apply",
            "--server-side",
            "-n",
            ns,
            "-f",
            ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml").toString());
    return ns;
  }

  private ModelRollout rollout(String ns, String url) {
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(ProjectPaths.root().resolve("samples/esp32-vibration/modelrollout.yaml").toFile())
            .item();
    rollout.getMetadata().setNamespace(ns);
    rollout.getSpec().model.source.configMap = null;
    rollout.getSpec().model.source.url = new UrlSource();
    rollout.getSpec().model.source.url.url = url;
    rollout.getSpec().model.sha256 = FIXTURE_SHA256;
    rollout.getSpec().model.selfTest = null;
    return rollout;
  }
}
