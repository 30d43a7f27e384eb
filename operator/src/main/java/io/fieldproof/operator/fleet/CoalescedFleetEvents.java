package io.fieldproof.operator.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * An event source fed by the fleet index: changed devices are gathered per namespace over a short
 * window, then handed over as one batch, so a burst of ten thousand reports becomes a handful of
 * reconciles. Subclasses say which primary resources a batch concerns.
 *
 * @param <R> the primary resource kind
 */
public abstract class CoalescedFleetEvents<R extends HasMetadata>
    extends AbstractEventSource<DeviceEntry, R> implements FleetListener {

  private final FleetIndex index;
  private final Duration window;
  private final String threadName;
  private final Map<String, Set<String>> pending = new HashMap<>();
  private ScheduledExecutorService flusher;

  protected CoalescedFleetEvents(
      String name, FleetIndex index, Duration window, String threadName) {
    super(DeviceEntry.class, name);
    this.index = index;
    this.window = window;
    this.threadName = threadName;
  }

  @Override
  public void start() {
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
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

  @Override
  public Set<DeviceEntry> getSecondaryResources(R primary) {
    return Set.of();
  }

  protected FleetIndex index() {
    return index;
  }

  /** Reconciles one primary resource. */
  protected void trigger(R resource) {
    getEventHandler().handleEvent(new Event(ResourceID.fromResource(resource)));
  }

  /** The changed devices of the window, by namespace: trigger what they concern. */
  protected abstract void flushed(Map<String, Set<String>> batch);

  private void flush() {
    Map<String, Set<String>> batch;
    synchronized (this) {
      batch = new HashMap<>(pending);
      pending.clear();
    }
    if (isRunning()) {
      flushed(batch);
    }
  }
}
