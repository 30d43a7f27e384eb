package io.fieldproof.operator.rollout.progress;

/**
 * How far a step's cohort got.
 *
 * @param size devices the step covers
 * @param updated of them, running the model
 * @param failed of them, failed with retries spent
 * @param offlineWaiting of them, offline and waited for (offlineDevices: wait)
 * @param offlineSkipped of them, offline and skipped (offlineDevices: skip)
 * @param cannotRevertLeft devices a canary step (below 100 %) would have taken but left for the 100
 *     % step because they cannot return to a previous model; not part of {@code size}
 */
public record CohortProgress(
    int size,
    int updated,
    int failed,
    int offlineWaiting,
    int offlineSkipped,
    int cannotRevertLeft) {

  /** A cohort that left no device out for lack of a previous model. */
  public CohortProgress(int size, int updated, int failed, int offlineWaiting, int offlineSkipped) {
    this(size, updated, failed, offlineWaiting, offlineSkipped, 0);
  }

  /** Whether nothing is left to do for the step: every device is updated, failed or skipped. */
  public boolean complete() {
    return updated + failed + offlineSkipped >= size;
  }
}
