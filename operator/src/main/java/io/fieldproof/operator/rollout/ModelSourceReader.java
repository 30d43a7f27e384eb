package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ConfigMapKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads a key of a ConfigMap in the rollout's namespace: binaryData first, then data. */
public final class ModelSourceReader {

  private final KubernetesClient client;

  public ModelSourceReader(KubernetesClient client) {
    this.client = client;
  }

  /** The bytes under the key, or a waiting verdict naming what is missing. */
  public Result read(String namespace, ConfigMapKey ref, String role) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.name).get();
    if (map == null) {
      return Result.missing(
          Verdict.waiting(
              "SourceNotFound", role + ": ConfigMap " + namespace + "/" + ref.name + " not found"));
    }
    if (map.getBinaryData() != null && map.getBinaryData().containsKey(ref.key)) {
      return Result.found(Base64.getDecoder().decode(map.getBinaryData().get(ref.key)));
    }
    if (map.getData() != null && map.getData().containsKey(ref.key)) {
      return Result.found(map.getData().get(ref.key).getBytes(StandardCharsets.UTF_8));
    }
    return Result.missing(
        Verdict.waiting(
            "SourceKeyNotFound",
            role + ": ConfigMap " + namespace + "/" + ref.name + " has no key " + ref.key));
  }

  /** Either the bytes or the verdict explaining why there are none. */
  public record Result(Optional<byte[]> bytes, Verdict problem) {
    public static Result found(byte[] bytes) {
      return new Result(Optional.of(bytes), null);
    }

    public static Result missing(Verdict problem) {
      return new Result(Optional.empty(), problem);
    }
  }
}
