package io.fieldproof.operator;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;

/**
 * ConfigMaps that hold a model for a ModelRollout: the model under binaryData {@code model.tflite}
 * (the rollout's spec.model.source) and its self-test vectors under data {@code selftest.json}
 * (spec.model.selfTest).
 */
final class ModelConfigMaps {

  private ModelConfigMaps() {}

  /**
   * Creates ConfigMap {@code name} in {@code ns} with {@code model} and, unless null, {@code
   * selfTest}.
   */
  static void create(
      KubernetesClient client, String ns, String name, byte[] model, String selfTest) {
    ConfigMapBuilder configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .addToBinaryData("model.tflite", Base64.getEncoder().encodeToString(model));
    if (selfTest != null) {
      configMap.addToData("selftest.json", selfTest);
    }
    client.resource(configMap.build()).create();
  }

  /**
   * Creates ConfigMap {@code name} with the model and golden vectors of fixture {@code fixture}.
   */
  static void createFromFixture(KubernetesClient client, String ns, String name, String fixture) {
    create(client, ns, name, ModelFixtures.model(fixture), ModelFixtures.golden(fixture));
  }
}
