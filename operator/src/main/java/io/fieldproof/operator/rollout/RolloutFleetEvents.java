package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.fleet.FleetListener;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns fleet index changes (a device reported, went offline, got a new desired state) into
 * reconciles of the namespace's rollouts that still act on devices. Changes are coalesced over a
 * window, so a rollout over thousands of devices is reconciled a few times per window, not once per
 * report, and writes its status at most as often.
 */
final class RolloutFleetEvents extends AbstractEventSource<DeviceEntry, ModelRollout>
    implements FleetListener {

  private final FleetIndex index;
  private final IndexedResourceCache<ModelRollout> rollouts;
  private final Duration window;
  private final Set<String> pending = new HashSet<>();
  private ScheduledExecutorService flusher;

  RolloutFleetEvents(
      FleetIndex index, IndexedResourceCache<ModelRollout> rollouts, Duration window) {
    super(DeviceEntry.class, "rollout-fleet");
    this.index = index;
    this.rollouts = rollouts;
    this.window = window;
  }

  @Override
  public void start() {
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rollout-fleet-events");
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
    pending.add(namespace);
    if (first && flusher != null) {
      flusher.schedule(this::flush, window.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public Set<DeviceEntry> getSecondaryResources(ModelRollout rollout) {
    return Set.of();
  }

  private void flush() {
    Set<String> namespaces;
    synchronized (this) {
      namespaces = new HashSet<>(pending);
      pending.clear();
    }
    if (!isRunning()) {
      return;
    }
    for (String namespace : namespaces) {
      rollouts
          .list(namespace)
          .filter(RolloutFleetEvents::actsOnDevices)
          .map(ResourceID::fromResource)
          .forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }

  private static boolean actsOnDevices(ModelRollout rollout) {
    Phase phase = rollout.getStatus() == null ? null : rollout.getStatus().phase;
    return phase != Phase.FAILED && phase != Phase.SUPERSEDED;
  }
}
