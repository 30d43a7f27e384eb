package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the operator retains on a model's manifest topic: the model's sha256 and size, how it is cut
 * into chunks, and the sha256 of every chunk, so an agent verifies each chunk as it arrives and the
 * whole model at the end. The bounds keep a chunk within its topic's payload limit and the manifest
 * within its own.
 */
public record ModelManifest(
    int v,
    String sha256,
    long size,
    int chunkSize,
    List<String> chunks,
    String name,
    String version)
    implements Message {

  /** The smallest chunk size a manifest may declare. */
  public static final int MIN_CHUNK_SIZE = 1024;

  /** The largest chunk size: a chunk stays well within {@link TopicKind#MODEL_CHUNK}'s limit. */
  public static final int MAX_CHUNK_SIZE = 48 * 1024;

  /** The chunk size the operator uses unless configured otherwise. */
  public static final int DEFAULT_CHUNK_SIZE = 16 * 1024;

  /** The largest model the contract carries. */
  public static final long MAX_MODEL_BYTES = 4L * 1024 * 1024;

  /** The most chunks one model may have: its manifest stays within its topic's limit. */
  public static final int MAX_CHUNKS = 512;

  public ModelManifest {
    chunks = chunks == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(chunks));
  }

  /** A manifest of the current schema version. */
  public static ModelManifest of(
      String sha256, long size, int chunkSize, List<String> chunks, String name, String version) {
    return new ModelManifest(VERSION, sha256, size, chunkSize, chunks, name, version);
  }

  /** How many chunks a model of {@code size} bytes has when cut into {@code chunkSize} pieces. */
  public static long chunkCount(long size, int chunkSize) {
    return (size + chunkSize - 1) / chunkSize;
  }

  /** The length of chunk {@code index}: the chunk size, except for a shorter last chunk. */
  public int chunkLength(int index) {
    return (int) Math.min(chunkSize, size - (long) index * chunkSize);
  }

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!Sha256.isHex(sha256)) {
      problems.add("sha256 must be 64 lower-case hex digits");
    }
    if (size < 1 || size > MAX_MODEL_BYTES) {
      problems.add("size must be between 1 and " + MAX_MODEL_BYTES + " bytes");
    }
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      problems.add("chunkSize must be between " + MIN_CHUNK_SIZE + " and " + MAX_CHUNK_SIZE);
    } else if (size >= 1 && chunks.size() != chunkCount(size, chunkSize)) {
      problems.add(
          "chunks lists "
              + chunks.size()
              + " digests but "
              + size
              + " bytes in chunks of "
              + chunkSize
              + " make "
              + chunkCount(size, chunkSize));
    }
    if (chunks.size() > MAX_CHUNKS) {
      problems.add("at most " + MAX_CHUNKS + " chunks; use a larger chunkSize");
    }
    for (int i = 0; i < chunks.size(); i++) {
      if (!Sha256.isHex(chunks.get(i))) {
        problems.add("chunks[" + i + "] must be 64 lower-case hex digits");
      }
    }
    return problems;
  }
}
