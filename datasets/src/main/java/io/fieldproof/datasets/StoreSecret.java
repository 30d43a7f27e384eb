package io.fieldproof.datasets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The capture store's settings from a Kubernetes Secret ({@code --store-secret}): keys {@code
 * endpoint}, {@code bucket}, {@code region} (optional, default us-east-1), {@code accessKeyId} and
 * {@code secretAccessKey}. Values are stripped of surrounding whitespace (a file given to {@code
 * kubectl create secret --from-file} usually ends with a newline). Errors name the Secret and the
 * key, never a value.
 */
final class StoreSecret {

  static final String ENDPOINT = "endpoint";
  static final String BUCKET = "bucket";
  static final String REGION = "region";
  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";

  private StoreSecret() {}

  /**
   * @throws IllegalArgumentException when the Secret is not there or lacks a key
   */
  static StoreSettings read(KubernetesClient kubernetes, String namespace, String name) {
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalArgumentException(
          "Secret " + namespace + "/" + name + " (--store-secret) not found");
    }
    return settingsOf(secret);
  }

  static StoreSettings settingsOf(Secret secret) {
    String name = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String region = value(data, name, REGION);
    return new StoreSettings(
        required(data, name, ENDPOINT),
        required(data, name, BUCKET),
        region == null ? StoreSettings.DEFAULT_REGION : region,
        required(data, name, ACCESS_KEY_ID),
        required(data, name, SECRET_ACCESS_KEY));
  }

  private static String required(Map<String, String> data, String secret, String key) {
    String value = value(data, secret, key);
    if (value == null) {
      throw new IllegalArgumentException(
          "Secret "
              + secret
              + " has no key "
              + key
              + " (or it is empty): the capture store needs it");
    }
    return value;
  }

  private static String value(Map<String, String> data, String secret, String key) {
    String encoded = data.get(key);
    if (encoded == null) {
      return null;
    }
    String value;
    try {
      value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key " + key + " of Secret " + secret + " is not base64", e);
    }
    return value.isEmpty() ? null : value;
  }
}
