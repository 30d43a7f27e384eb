package io.fieldproof.operator.fleet;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Turns fleet index changes into reconciles of the DeviceGroups they concern, and only those:
 * groups whose selector matches a changed device, or whose desired state the device holds. Changes
 * are coalesced over a short window, so a burst of ten thousand reports is a handful of reconciles,
 * not ten thousand.
 */
public final class FleetEventSource extends CoalescedFleetEvents<DeviceGroup> {

  private final IndexedResourceCache<DeviceGroup> groups;

  public FleetEventSource(
      FleetIndex index, IndexedResourceCache<DeviceGroup> groups, Duration window) {
    super("fleet", index, window, "fleet-events");
    this.groups = groups;
  }

  /**
   * Reconciles every other group of the namespace: a group whose selector changed, or that is gone,
   * may have created or ended a conflict for them.
   */
  public void siblingsChanged(String namespace, String except) {
    if (!isRunning()) {
      return;
    }
    groups
        .list(namespace)
        .filter(group -> !group.getMetadata().getName().equals(except))
        .forEach(this::trigger);
  }

  @Override
  protected void flushed(Map<String, Set<String>> batch) {
    batch.forEach(
        (namespace, devices) ->
            groups
                .list(namespace)
                .filter(group -> concerns(group, namespace, devices))
                .forEach(this::trigger));
  }

  private boolean concerns(DeviceGroup group, String namespace, Set<String> devices) {
    for (String device : devices) {
      DeviceEntry entry = index().device(namespace, device).orElse(null);
      if (entry == null) {
        continue;
      }
      if (entry.info() != null
          && SelectorMatcher.matches(group.getSpec().selector, entry.info().labels())) {
        return true;
      }
      if (entry.desired() != null
          && group.getMetadata().getName().equals(entry.desired().group())) {
        return true;
      }
    }
    return false;
  }
}
