package io.fieldproof.model.footprint;

/**
 * RAM the device runtime keeps besides the model's tensors, for the inputs of the group a model
 * runs in: the drift estimator of each input (a running mean against the training reference,
 * whatever the drift window: the C firmware's fp_drift, FP_DRIFT_BYTES in fp_config.h), and, for a
 * group that captures, the capture ring (fp_capture, docs/field-data.md). The fit check counts it
 * against the arena the device announces, the only RAM figure it announces.
 */
public final class RuntimeState {

  /** Bytes of drift state per configured input. */
  public static final long DRIFT_BYTES_PER_INPUT = 32;

  /** The capture pool of the C firmware (FP_CAPTURE_POOL_BYTES): the ring never takes more. */
  public static final long CAPTURE_POOL_BYTES = 8192;

  /** Bytes of one captured sample besides its inputs, and per input. */
  public static final long CAPTURE_SAMPLE_BYTES = 12;

  public static final long CAPTURE_INPUT_BYTES = 9;

  private RuntimeState() {}

  /**
   * The capture ring of a group of {@code inputs} inputs with a window of {@code before} + 1 +
   * {@code after} samples: as many samples as the pool takes, at least one.
   */
  public static long captureBytes(int inputs, int before, int after) {
    long sample = CAPTURE_SAMPLE_BYTES + CAPTURE_INPUT_BYTES * Math.max(0, inputs);
    long wanted = (long) Math.max(0, before) + Math.max(0, after) + 1;
    return Math.max(1, Math.min(wanted, CAPTURE_POOL_BYTES / sample)) * sample;
  }

  /** The runtime's per-input state for a group of {@code inputs} inputs. */
  public static long bytes(int inputs) {
    return DRIFT_BYTES_PER_INPUT * Math.max(0, inputs);
  }
}
