package io.fieldproof.datasets;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The capture bucket, read only: list windows under a prefix and read one. */
final class WindowStore {

  /** The largest window read: larger objects are not windows an agent uploaded. */
  static final long MAX_WINDOW_BYTES = 4L * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;

  WindowStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Every key under {@code prefix}, in the store's (lexical) order. */
  List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
    for (var page : s3.listObjectsV2Paginator(request)) {
      for (S3Object object : page.contents()) {
        keys.add(object.key());
      }
    }
    return keys;
  }

  /**
   * The window under {@code key}.
   *
   * @throws IllegalStateException when the object is larger than {@link #MAX_WINDOW_BYTES}
   */
  StoredWindow read(String key) {
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
    if (head.contentLength() != null && head.contentLength() > MAX_WINDOW_BYTES) {
      throw new IllegalStateException(
          key
              + " holds "
              + head.contentLength()
              + " bytes, more than a window's "
              + MAX_WINDOW_BYTES);
    }
    ResponseBytes<GetObjectResponse> object =
        s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
    return new StoredWindow(object.asByteArray(), object.response().metadata());
  }
}
