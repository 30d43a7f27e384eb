package io.fieldproof.agent.transfer;

/**
 * Why a model fetch failed, as a reason code, and whether fetching again may help (transient) or
 * not until something changes on the operator's side (permanent).
 */
public enum FetchFailure {
  /** Neither the manifest nor a new good chunk arrived within the stall timeout. */
  DOWNLOAD_TIMEOUT(true),
  /** The model does not fit beside what the store holds; a garbage collection may make room. */
  STORE_FULL(true),
  /** The disk failed while storing or reading the model. */
  STORE_IO(true),
  /** The fetcher was closed before the model was complete; the chunks so far are kept. */
  ABANDONED(true),
  /** The operator retracted the model: no rollout references it any more. */
  MODEL_RETRACTED(false),
  /** Every chunk matched the manifest, yet the whole model does not hash to its sha256. */
  DIGEST_MISMATCH(false),
  /** The manifest breaks the contract or disagrees with the wanted model (sha256, size). */
  MANIFEST_INVALID(false),
  /** The model is larger than the contract allows or than the store's whole budget. */
  TOO_LARGE(false);

  private final boolean transientFailure;

  FetchFailure(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  /** Whether the same fetch may succeed when tried again. */
  public boolean isTransient() {
    return transientFailure;
  }
}
