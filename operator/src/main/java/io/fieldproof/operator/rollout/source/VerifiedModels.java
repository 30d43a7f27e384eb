package io.fieldproof.operator.rollout.source;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Model files already fetched and verified, by URL and sha256, so that a rollout validated every
 * few seconds does not download its model each time. Bounded by total bytes: the least recently
 * used file goes first. The arrays are shared: callers must not modify them.
 */
final class VerifiedModels {

  private final long maxBytes;
  private final LinkedHashMap<SourceKey, byte[]> files = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  VerifiedModels(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("fieldproof.url-source.cache-bytes must be >= 0");
    }
    this.maxBytes = maxBytes;
  }

  synchronized Optional<byte[]> get(SourceKey key) {
    return Optional.ofNullable(files.get(key));
  }

  /** Keeps the file unless it alone is larger than the whole cache. */
  synchronized void put(SourceKey key, byte[] file) {
    if (file.length > maxBytes) {
      return;
    }
    byte[] previous = files.put(key, file);
    bytes += file.length - (previous == null ? 0 : previous.length);
    Iterator<Map.Entry<SourceKey, byte[]>> oldest = files.entrySet().iterator();
    while (bytes > maxBytes) {
      bytes -= oldest.next().getValue().length;
      oldest.remove();
    }
  }

  synchronized long bytes() {
    return bytes;
  }
}
