package io.fieldproof.operator.rollout.progress;

/** Where one targeted device stands in a rollout. */
public enum DeviceState {
  /** Runs the rollout's model, confirmed after its trial. */
  UPDATED,
  /** Told to run the model; downloading, flashing, verifying or on trial. */
  IN_PROGRESS,
  /** Its update failed and it waits out a backoff before the next attempt. */
  RETRYING,
  /** Its update failed with every retry spent: counts toward abort. */
  FAILED,
  /** Not yet chosen by a step, or waiting for a free concurrency slot. */
  PENDING,
  /** Not updated and offline: counted on its own, never silently passed. */
  OFFLINE
}
