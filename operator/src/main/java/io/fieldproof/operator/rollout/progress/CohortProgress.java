package io.fieldproof.operator.rollout.progress;

/**
 * How far a step's cohort got.
 *
 * @param size devices the step covers
 * @param updated of them, running the model
 * @param failed of them, failed with retries spent
 * @param offlineWaiting of them, offline and waited for (offlineDevices: wait)
 * @param offlineSkipped of them, offline and skipped (offlineDevices: skip)
 */
public record CohortProgress(
    int size, int updated, int failed, int offlineWaiting, int offlineSkipped) {

  /** Whether nothing is left to do for the step: every device is updated, failed or skipped. */
  public boolean complete() {
    return updated + failed + offlineSkipped >= size;
  }
}
