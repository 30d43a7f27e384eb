package io.fieldproof.model.footprint;

/**
 * The tensor arena a model needs on a device.
 *
 * @param plannedBytes the head section: the greedy plan of the non-constant tensors (exact, as
 *     TFLite Micro computes it)
 * @param persistentBytes the tail section: {@link PersistentOverheadEstimate} (an estimate)
 */
public record ArenaEstimate(long plannedBytes, long persistentBytes) {

  /** Head plus tail: the arena size to compare with a device's arena. */
  public long totalBytes() {
    return plannedBytes + persistentBytes;
  }
}
