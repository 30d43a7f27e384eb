package io.fieldproof.datasets;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the capture store is and the key to read it, from the environment: {@code
 * FIELDPROOF_STORE_ENDPOINT}, {@code FIELDPROOF_STORE_BUCKET}, {@code FIELDPROOF_STORE_REGION}
 * (default us-east-1), {@code FIELDPROOF_STORE_ACCESS_KEY_ID} and {@code
 * FIELDPROOF_STORE_SECRET_ACCESS_KEY}, or from a Secret ({@link StoreSecret}). Path-style requests,
 * as SeaweedFS and MinIO serve them.
 */
record StoreSettings(
    String endpoint, String bucket, String region, String accessKeyId, String secret) {

  static final String DEFAULT_REGION = "us-east-1";

  static StoreSettings fromEnvironment(Map<String, String> env) {
    return new StoreSettings(
        required(env, "FIELDPROOF_STORE_ENDPOINT"),
        required(env, "FIELDPROOF_STORE_BUCKET"),
        env.getOrDefault("FIELDPROOF_STORE_REGION", DEFAULT_REGION),
        required(env, "FIELDPROOF_STORE_ACCESS_KEY_ID"),
        required(env, "FIELDPROOF_STORE_SECRET_ACCESS_KEY"));
  }

  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set: the capture store needs it");
    }
    return value;
  }

  @Override
  public String toString() {
    return "StoreSettings[" + endpoint + ", bucket " + bucket + ", key " + accessKeyId + ", ****]";
  }
}
