package io.fieldproof.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.protocol.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** ModelRollouts written as YAML, as a user writes them, and created through the API server. */
final class RolloutManifests {

  private RolloutManifests() {}

  /**
   * A rollout {@code name} of vibration-anomaly {@code version} to the sample pump group, its model
   * and self-test taken from ConfigMap {@code configMap} (see {@link ModelConfigMaps}) and pinned
   * to the sha256 of {@code model}.
   *
   * @param rest more fields of spec (strategy, gates, ...), written at the left margin
   */
  static String pumpVibration(
      String name, String version, byte[] model, String configMap, String rest) {
    return """
        apiVersion: fieldproof.io/v1alpha1
        kind: ModelRollout
        metadata:
          name: %s
        spec:
          deviceGroup: %s
          model:
            name: vibration-anomaly
            version: %s
            sha256: %s
            source:
              configMap: {name: %s, key: model.tflite}
            selfTest:
              configMap: {name: %s, key: selftest.json}
        %s"""
        .formatted(
            name,
            SampleGroups.PUMP_VIBRATION,
            version,
            Sha256.hex(model),
            configMap,
            configMap,
            rest.indent(2));
  }

  /** Reads {@code yaml} as a ModelRollout and creates it in {@code ns}. */
  static void create(KubernetesClient client, String ns, String yaml) {
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resource(rollout).inNamespace(ns).create();
  }
}
