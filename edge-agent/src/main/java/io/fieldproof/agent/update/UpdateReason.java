package io.fieldproof.agent.update;

/**
 * Why an update did not end in {@link UpdatePhase#Confirmed}, as reported in the device twin's
 * {@code lastError} and in events. Transient reasons are retried with backoff; permanent ones end
 * the update at once (trying again cannot help) and nothing is flashed.
 */
public enum UpdateReason {
  /** The model could not be fetched in time. */
  DownloadFailed(true),
  /** The operator no longer offers the model, or offers it in a form the agent must refuse. */
  ModelUnavailable(false),
  /** The model's bytes do not hash to the sha256 it was asked for. */
  DigestMismatch(false),
  /** The model is not an int8 TFLite model the runtime can run. */
  ModelRejected(false),
  /** The model needs more arena, flash or operators than the device has. */
  DoesNotFit(false),
  /** Writing the slot failed (link, bootloader, device refusal). */
  FlashFailed(true),
  /** The slot read back differs from the model. */
  VerifyMismatch(true),
  /** The model's outputs on the golden vectors are off by more than the tolerance. */
  SelfTestMismatch(false),
  /** The device did not stay healthy with the new model on trial. */
  TrialFailed(false),
  /** The device cannot be updated by any path the agent has (no runtime v2, no bootloader). */
  NoUpdatePath(false),
  /** The update took longer than its deadline. */
  Timeout(true);

  private final boolean transientReason;

  UpdateReason(boolean transientReason) {
    this.transientReason = transientReason;
  }

  public boolean isTransient() {
    return transientReason;
  }
}
