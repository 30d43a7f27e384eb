package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.operator.fleet.CoalescedFleetEvents;
import io.fieldproof.operator.fleet.FleetIndex;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Turns fleet index changes (a device reported, went offline, got a new desired state) into
 * reconciles of the namespace's rollouts that still act on devices. Changes are coalesced over a
 * window, so a rollout over thousands of devices is reconciled a few times per window, not once per
 * report, and writes its status at most as often.
 */
final class RolloutFleetEvents extends CoalescedFleetEvents<ModelRollout> {

  private final IndexedResourceCache<ModelRollout> rollouts;

  RolloutFleetEvents(
      FleetIndex index, IndexedResourceCache<ModelRollout> rollouts, Duration window) {
    super("rollout-fleet", index, window, "rollout-fleet-events");
    this.rollouts = rollouts;
  }

  @Override
  protected void flushed(Map<String, Set<String>> batch) {
    for (String namespace : batch.keySet()) {
      rollouts.list(namespace).filter(RolloutFleetEvents::actsOnDevices).forEach(this::trigger);
    }
  }

  private static boolean actsOnDevices(ModelRollout rollout) {
    Phase phase = rollout.getStatus() == null ? null : rollout.getStatus().phase;
    return phase != Phase.FAILED && phase != Phase.SUPERSEDED;
  }
}
