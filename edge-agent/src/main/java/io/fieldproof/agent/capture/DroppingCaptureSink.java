package io.fieldproof.agent.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink of an agent whose config names no capture store: it keeps nothing, and counts the
 * windows and bytes it dropped (by device as no_store).
 */
public final class DroppingCaptureSink implements CaptureSink {

  private final AtomicLong windows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final CaptureDrops drops = new CaptureDrops();

  @Override
  public void accept(CapturedWindow window, CaptureBudget budget) {
    windows.incrementAndGet();
    bytes.addAndGet(window.body().length);
    drops.dropped(
        window.device(), CaptureDropReason.NO_STORE, "the agent's config names no captureStore");
  }

  @Override
  public DeviceCaptureCounts counts(String device) {
    return new DeviceCaptureCounts(0, drops.ofDevice(device));
  }

  public long droppedWindows() {
    return windows.get();
  }

  public long droppedBytes() {
    return bytes.get();
  }
}
