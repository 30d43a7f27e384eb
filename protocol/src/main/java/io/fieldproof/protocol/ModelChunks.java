package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a model into the chunks of the contract and builds its manifest; checks a received chunk
 * against a manifest.
 */
public final class ModelChunks {

  private ModelChunks() {}

  /** A model cut into chunks, with the manifest that lists them. */
  public record Split(ModelManifest manifest, List<byte[]> chunks) {
    public Split {
      chunks = List.copyOf(chunks);
    }
  }

  /** Cuts a model into chunks of {@link ModelManifest#DEFAULT_CHUNK_SIZE} bytes. */
  public static Split split(byte[] model, String name, String version) {
    return split(model, ModelManifest.DEFAULT_CHUNK_SIZE, name, version);
  }

  /**
   * Cuts a model into chunks of {@code chunkSize} bytes (the last one shorter).
   *
   * @throws IllegalArgumentException when the model or the chunk size break the manifest's bounds
   */
  public static Split split(byte[] model, int chunkSize, String name, String version) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive, not " + chunkSize);
    }
    List<byte[]> chunks = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (int offset = 0; offset < model.length; offset += chunkSize) {
      byte[] chunk = Arrays.copyOfRange(model, offset, Math.min(model.length, offset + chunkSize));
      chunks.add(chunk);
      digests.add(Sha256.hex(chunk));
    }
    ModelManifest manifest =
        ModelManifest.of(Sha256.hex(model), model.length, chunkSize, digests, name, version);
    List<String> problems = manifest.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot publish this model: " + String.join("; ", problems));
    }
    return new Split(manifest, chunks);
  }

  /** Whether {@code chunk} is chunk {@code index} of the model the manifest describes. */
  public static ChunkCheck check(ModelManifest manifest, int index, byte[] chunk) {
    if (index < 0 || index >= manifest.chunks().size()) {
      return ChunkCheck.OUT_OF_RANGE;
    }
    if (chunk.length != manifest.chunkLength(index)) {
      return ChunkCheck.WRONG_LENGTH;
    }
    return Sha256.hex(chunk).equals(manifest.chunks().get(index))
        ? ChunkCheck.VALID
        : ChunkCheck.DIGEST_MISMATCH;
  }
}
