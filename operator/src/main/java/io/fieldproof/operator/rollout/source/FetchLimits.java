package io.fieldproof.operator.rollout.source;

import io.fieldproof.protocol.ModelManifest;
import java.time.Duration;

/**
 * The bounds of one fetch: the largest body read, the time to connect, the time for everything, and
 * the redirects followed.
 */
public record FetchLimits(
    long maxBytes, Duration connectTimeout, Duration timeout, int maxRedirects) {

  public FetchLimits {
    if (maxBytes < 1 || maxBytes > ModelManifest.MAX_MODEL_BYTES) {
      throw new IllegalArgumentException(
          "fieldproof.url-source.max-bytes must be between 1 and "
              + ModelManifest.MAX_MODEL_BYTES
              + ", not "
              + maxBytes);
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || timeout.isNegative()
        || timeout.isZero()) {
      throw new IllegalArgumentException(
          "fieldproof.url-source.connect-timeout and timeout must be positive");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("fieldproof.url-source.max-redirects must be >= 0");
    }
  }

  static FetchLimits of(UrlSourceConfig config) {
    return new FetchLimits(
        config.maxBytes(), config.connectTimeout(), config.timeout(), config.maxRedirects());
  }
}
