package io.fieldproof.agent.capture;

import io.fieldproof.agent.config.AgentConfig;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * PUTs windows into the capture bucket of an S3-compatible store (AWS SDK v2 over the JDK's
 * HttpURLConnection, path-style requests as SeaweedFS and MinIO serve them). The SDK does not
 * retry: the uploader does, with its own backoff, while the windows wait on disk.
 */
final class CaptureStoreClient implements AutoCloseable {

  /** How one PUT ended. */
  sealed interface Outcome {
    /** The store acknowledged the object. */
    record Stored() implements Outcome {}

    /** Worth trying again later: no connection, a 5xx, throttling, credentials or bucket. */
    record Retry(String reason) implements Outcome {}

    /** The store refused this object for good (a 4xx about the request itself). */
    record Refused(String reason) implements Outcome {}
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final S3Client s3;
  private final String bucket;

  CaptureStoreClient(AgentConfig.CaptureStore store) {
    this.bucket = store.bucket();
    this.s3 =
        S3Client.builder()
            .endpointOverride(store.endpoint())
            .region(Region.of(store.region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        store.accessKeyId(), new String(store.secretAccessKey()))))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT))
            .overrideConfiguration(
                o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(CALL_TIMEOUT))
            .build();
  }

  Outcome put(String key, String contentType, Map<String, String> metadata, byte[] body) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(bucket)
              .key(key)
              .contentType(contentType)
              .metadata(metadata)
              .build(),
          RequestBody.fromBytes(body));
      return new Outcome.Stored();
    } catch (S3Exception e) {
      return classify(e);
    } catch (SdkException e) {
      return new Outcome.Retry(e.getMessage());
    }
  }

  private static Outcome classify(S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    String reason = "HTTP " + status + " " + code + ": " + e.getMessage();
    boolean permanent =
        status >= 400
            && status < 500
            // credentials, permissions and the bucket are the store's set-up, not the window's:
            // the windows wait until it is fixed
            && status != 401
            && status != 403
            && status != 404
            && status != 408
            && status != 429;
    return permanent ? new Outcome.Refused(reason) : new Outcome.Retry(reason);
  }

  @Override
  public void close() {
    s3.close();
  }
}
