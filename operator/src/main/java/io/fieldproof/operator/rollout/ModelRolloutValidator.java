package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelSpec;
import io.fieldproof.model.footprint.EnergyEstimate;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.power.GroupRates;
import io.fieldproof.operator.power.PowerBudget;
import io.fieldproof.operator.power.PowerFigures;
import io.fieldproof.operator.rollout.source.UrlModelSource;
import io.fieldproof.operator.rollout.window.MaintenanceWindows;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.SelfTest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates a rollout before anything could be flashed: its group exists, its model bytes can be
 * read (from a ConfigMap, or fetched from a URL by {@link UrlModelSource}), their sha256 matches
 * the spec, they are a TFLite flatbuffer, the self-test vectors are well-formed JSON, and the
 * model's estimated average power on each chip of the group's members stays within the group's
 * budget ({@code spec.power.budgetMilliwatts}).
 */
public final class ModelRolloutValidator {

  private final KubernetesClient client;
  private final ModelSourceReader sources;
  private final UrlModelSource urls;
  private final ModelInspector inspector = new ModelInspector();
  private final Function<DeviceGroup, Set<String>> memberChips;

  /**
   * @param memberChips the chips of a group's members, as their gateways announce them
   */
  public ModelRolloutValidator(
      KubernetesClient client,
      UrlModelSource urls,
      Function<DeviceGroup, Set<String>> memberChips) {
    this.client = client;
    this.sources = new ModelSourceReader(client);
    this.urls = urls;
    this.memberChips = memberChips;
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
    Optional<String> overBudget = estimatePower(inspection, group);
    if (overBudget.isPresent() && started == null) {
      return Verdict.invalid(
          PowerBudget.OVER_POWER_BUDGET,
          "spec.model: "
              + overBudget.get()
              + " (spec.power.budgetMilliwatts of DeviceGroup "
              + group.getMetadata().getName()
              + ")");
    }
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
   * Fills the inspection's energy figures for the chips of the group's members at the group's
   * rates, and says which chips the model would put over the group's budget. A rollout that
   * validated before (it started) is not refused for a member that joined since: the figures
   * change, the verdict does not.
   */
  private Optional<String> estimatePower(ModelInspection inspection, DeviceGroup group) {
    GroupRates rates = GroupRates.of(group.getSpec());
    List<EnergyEstimate> estimates =
        PowerFigures.of(inspection.latency, memberChips.apply(group), rates.duty());
    inspection.energy =
        estimates.isEmpty() ? null : estimates.stream().map(PowerFigures::info).toList();
    return PowerBudget.exceeded(estimates, rates, GroupRates.budgetMilliwatts(group.getSpec()));
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
