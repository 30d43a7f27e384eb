package io.fieldproof.model.footprint;

/**
 * RAM the device runtime keeps besides the model's tensors, for the inputs of the group a model
 * runs in: the drift estimator of each input (a running mean against the training reference,
 * whatever the drift window: the C firmware's fp_drift, FP_DRIFT_BYTES in fp_config.h). The fit
 * check counts it against the arena the device announces, the only RAM figure it announces.
 */
public final class RuntimeState {

  /** Bytes of drift state per configured input. */
  public static final long DRIFT_BYTES_PER_INPUT = 32;

  private RuntimeState() {}

  /** The runtime's per-input state for a group of {@code inputs} inputs. */
  public static long bytes(int inputs) {
    return DRIFT_BYTES_PER_INPUT * Math.max(0, inputs);
  }
}
