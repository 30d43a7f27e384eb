package io.fieldproof.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSecretTest {

  private static final Map<String, String> VALUES =
      Map.of(
          "endpoint", "http://seaweedfs.storage:8333",
          "bucket", "fieldproof-captures",
          "accessKeyId", "reader1",
          "secretAccessKey", "s3cr3t-value\n");

  @Test
  void theSettingsAreTheSecretsKeysStrippedWithTheDefaultRegion() {
    StoreSettings settings = StoreSecret.settingsOf(secret(VALUES));

    assertThat(settings)
        .isEqualTo(
            new StoreSettings(
                "http://seaweedfs.storage:8333",
                "fieldproof-captures",
                "us-east-1",
                "reader1",
                "s3cr3t-value"));
    assertThat(settings.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void aRegionKeyIsTaken() {
    Map<String, String> values = new HashMap<>(VALUES);
    values.put("region", "eu-central-1");

    assertThat(StoreSecret.settingsOf(secret(values)).region()).isEqualTo("eu-central-1");
  }

  @Test
  void eachMissingOrEmptyKeyIsNamedWithTheSecretAndNoValue() {
    for (String key : new String[] {"endpoint", "bucket", "accessKeyId", "secretAccessKey"}) {
      Map<String, String> values = new HashMap<>(VALUES);
      values.remove(key);
      assertThatThrownBy(() -> StoreSecret.settingsOf(secret(values)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Secret plant-a/capture-reader has no key " + key)
          .hasMessageNotContaining("s3cr3t-value")
          .hasMessageNotContaining("reader1");
      values.put(key, " \n");
      assertThatThrownBy(() -> StoreSecret.settingsOf(secret(values)))
          .hasMessageContaining("has no key " + key + " (or it is empty)");
    }
  }

  private static Secret secret(Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("plant-a")
        .withName("capture-reader")
        .endMetadata()
        .withData(data)
        .build();
  }
}
