package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelSpec;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.rollout.source.UrlModelSource;
import io.fieldproof.operator.rollout.window.MaintenanceWindows;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.SelfTest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Validates a rollout before anything could be flashed: its group exists, its model bytes can be
 * read (from a ConfigMap, or fetched from a URL by {@link UrlModelSource}), their sha256 matches
 * the spec, they are a TFLite flatbuffer, and the self-test vectors are well-formed JSON.
 */
public final class ModelRolloutValidator {

  private final KubernetesClient client;
  private final ModelSourceReader sources;
  private final UrlModelSource urls;
  private final ModelInspector inspector = new ModelInspector();

  public ModelRolloutValidator(KubernetesClient client, UrlModelSource urls) {
    this.client = client;
    this.sources = new ModelSourceReader(client);
    this.urls = urls;
  }

  public Verdict validate(ModelRollout rollout) {
    String namespace = rollout.getMetadata().getNamespace();
    ModelSpec model = rollout.getSpec().model;
    DeviceGroup group =
        client
            .resources(DeviceGroup.class)
            .inNamespace(namespace)
            .withName(rollout.getSpec().deviceGroup)
            .get();
    if (group == null) {
      return Verdict.waiting(
          "DeviceGroupNotFound",
          "spec.deviceGroup: DeviceGroup "
              + namespace
              + "/"
              + rollout.getSpec().deviceGroup
              + " not found");
    }
    List<String> configProblems = GroupConfigs.problems(group.getSpec(), rollout.getSpec().config);
    if (!configProblems.isEmpty()) {
      return Verdict.invalid("InvalidConfig", String.join("; ", configProblems));
    }
    try {
      MaintenanceWindows.of(rollout.getSpec().maintenanceWindows);
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("InvalidMaintenanceWindow", e.getMessage());
    }
    ModelSourceReader.Result source = readModel(namespace, model);
    if (source.bytes().isEmpty()) {
      return source.problem();
    }
    byte[] bytes = source.bytes().get();
    String digest = sha256(bytes);
    if (model.sha256 != null && !model.sha256.equals(digest)) {
      return Verdict.invalid(
          "Sha256Mismatch",
          "spec.model.sha256: expected " + model.sha256 + " but the model file has " + digest);
    }
    ModelInspection started = startedWith(rollout);
    if (started != null && !digest.equals(started.sha256)) {
      return Verdict.changed(
          started,
          "spec.model.source: the model file changed under the rollout (it started with "
              + started.sha256
              + ", the source now holds "
              + digest
              + "); a rollout judges one model: restore the file or create a new ModelRollout");
    }
    if (bytes.length > ModelManifest.MAX_MODEL_BYTES) {
      return Verdict.invalid(
          "ModelTooLarge",
          "spec.model.source: "
              + bytes.length
              + " bytes; models travel to the agents up to "
              + ModelManifest.MAX_MODEL_BYTES
              + " bytes");
    }
    ModelInspector.Result inspected =
        inspector.inspect(bytes, digest, group.getSpec().inputs.size());
    if (inspected.rejection() != null) {
      return inspected.rejection();
    }
    SelfTest selfTest = null;
    if (model.selfTest != null) {
      SelfTestResult read = readSelfTest(namespace, model);
      if (read.problem() != null) {
        return read.problem();
      }
      selfTest = read.selfTest();
    }
    ModelInspection inspection = inspected.inspection();
    return Verdict.valid(
        inspection,
        "model "
            + model.name
            + " "
            + model.version
            + ": "
            + bytes.length
            + " bytes, int8, "
            + inspection.operators.size()
            + " operators, arena "
            + inspection.arenaBytes
            + " bytes",
        bytes,
        selfTest);
  }

  /**
   * The model this rollout validated before, as its status records it; null before the first
   * validation. The spec cannot change (the CRD refuses it), but the ConfigMap or URL it names can.
   */
  private static ModelInspection startedWith(ModelRollout rollout) {
    var status = rollout.getStatus();
    return status == null || status.model == null || status.model.sha256 == null
        ? null
        : status.model;
  }

  /** The model file from the source the spec names: a ConfigMap key or a URL. */
  private ModelSourceReader.Result readModel(String namespace, ModelSpec model) {
    if (model.source.url != null) {
      return urls.read(model.source.url.url, model.sha256);
    }
    if (model.source.configMap == null) {
      return ModelSourceReader.Result.missing(
          Verdict.invalid("MissingSource", "spec.model.source: set one of configMap or url"));
    }
    return sources.read(namespace, model.source.configMap, "spec.model.source.configMap");
  }

  /** The golden vectors, or the verdict explaining why there are none. */
  private SelfTestResult readSelfTest(String namespace, ModelSpec model) {
    ModelSourceReader.Result vectors =
        sources.read(namespace, model.selfTest.configMap, "spec.model.selfTest.configMap");
    if (vectors.bytes().isEmpty()) {
      return new SelfTestResult(null, vectors.problem());
    }
    int tolerance = model.selfTest.tolerance == null ? 0 : model.selfTest.tolerance;
    try {
      return new SelfTestResult(SelfTestVectors.read(vectors.bytes().get(), tolerance), null);
    } catch (java.io.IOException e) {
      return new SelfTestResult(
          null, Verdict.invalid("InvalidSelfTest", "spec.model.selfTest: " + e.getMessage()));
    }
  }

  private record SelfTestResult(SelfTest selfTest, Verdict problem) {}

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
