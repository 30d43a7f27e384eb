package io.fieldproof.protocol;

/** The result of checking one received chunk against its model's manifest. */
public enum ChunkCheck {
  /** The chunk is the one the manifest lists at that index. */
  VALID,
  /** The manifest has no chunk at that index. */
  OUT_OF_RANGE,
  /** The chunk is longer or shorter than the manifest says. */
  WRONG_LENGTH,
  /** The chunk's sha256 differs from the manifest's. */
  DIGEST_MISMATCH
}
