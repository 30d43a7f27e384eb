package io.fieldproof.operator.rollout.source;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Reads a response body as it streams in: never holds more than the size limit, stops reading as
 * soon as the body passes it, and digests the bytes on the way, so the result is either the
 * verified file or why it was refused.
 */
final class ModelBody {

  private static final int FIRST_BUFFER = 64 * 1024;

  private ModelBody() {}

  /** The verified file, TOO_LARGE or SHA256_MISMATCH; an IOException when the transfer breaks. */
  static FetchResult read(
      InputStream body, long maxBytes, OptionalLong contentLength, String expectedSha256)
      throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[(int) Math.min(contentLength.orElse(FIRST_BUFFER), maxBytes)];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        if (buffer.length == maxBytes) {
          if (body.read() == -1) {
            break;
          }
          return new FetchResult.Failed(
              FetchProblem.TOO_LARGE, "the body passes the limit of " + maxBytes + " bytes");
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(2L * buffer.length, 1), maxBytes));
      }
      int n = body.read(buffer, size, buffer.length - size);
      if (n == -1) {
        break;
      }
      digest.update(buffer, size, n);
      size += n;
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expectedSha256)) {
      return new FetchResult.Failed(FetchProblem.SHA256_MISMATCH, actual);
    }
    return new FetchResult.Fetched(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
