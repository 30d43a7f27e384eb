package io.fieldproof.operator.fleet;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns fleet index changes into reconciles of the DeviceGroups they concern, and only those:
 * groups whose selector matches a changed device, or whose desired state the device holds. Changes
 * are coalesced over a short window, so a burst of ten thousand reports is a handful of reconciles,
 * not ten thousand.
 */
public final class FleetEventSource extends AbstractEventSource<DeviceEntry, DeviceGroup>
    implements FleetListener {

  private final FleetIndex index;
  private final IndexedResourceCache<DeviceGroup> groups;
  private final Duration window;
  private final Map<String, Set<String>> pending = new HashMap<>();
  private ScheduledExecutorService flusher;

  public FleetEventSource(
      FleetIndex index, IndexedResourceCache<DeviceGroup> groups, Duration window) {
    super(DeviceEntry.class, "fleet");
    this.index = index;
    this.groups = groups;
    this.window = window;
  }

  @Override
  public void start() {
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-events");
              t.setDaemon(true);
              return t;
            });
    index.addListener(this);
    super.start();
  }

  @Override
  public void stop() {
    if (flusher != null) {
      flusher.shutdownNow();
    }
    super.stop();
  }

  @Override
  public synchronized void changed(String namespace, Set<String> devices) {
    boolean first = pending.isEmpty();
    pending.computeIfAbsent(namespace, n -> new HashSet<>()).addAll(devices);
    if (first && flusher != null) {
      flusher.schedule(this::flush, window.toMillis(), TimeUnit.MILLISECONDS);
    }
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
        .map(ResourceID::fromResource)
        .forEach(id -> getEventHandler().handleEvent(new Event(id)));
  }

  @Override
  public Set<DeviceEntry> getSecondaryResources(DeviceGroup group) {
    return Set.of();
  }

  private void flush() {
    Map<String, Set<String>> batch;
    synchronized (this) {
      batch = new HashMap<>(pending);
      pending.clear();
    }
    if (!isRunning()) {
      return;
    }
    batch.forEach(
        (namespace, devices) ->
            groups
                .list(namespace)
                .filter(group -> concerns(group, namespace, devices))
                .map(ResourceID::fromResource)
                .forEach(id -> getEventHandler().handleEvent(new Event(id))));
  }

  private boolean concerns(DeviceGroup group, String namespace, Set<String> devices) {
    for (String device : devices) {
      DeviceEntry entry = index.device(namespace, device).orElse(null);
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
