package io.fieldproof.agent.update;

/** Where a device's model update stands; reported as the {@code phase} of the device twin. */
public enum UpdatePhase {
  /** No update runs. */
  Idle,
  /** Fetching the model's chunks. */
  Downloading,
  /** Checking the model: sha256, int8 inspection, fit on this device. */
  Validating,
  /** Writing the inactive slot. */
  Writing,
  /** Checking the slot's digest against the model. */
  Verifying,
  /** Running the golden vectors on the written slot. */
  SelfTesting,
  /** Committing the slot and starting it on trial. */
  Activating,
  /** The new model runs on trial while the agent watches the device. */
  Trial,
  /** The new model was confirmed: the update is done. */
  Confirmed,
  /** The new model was rolled back: the previous one runs again. */
  Reverted,
  /** The update failed before anything changed on the device. */
  Failed
}
