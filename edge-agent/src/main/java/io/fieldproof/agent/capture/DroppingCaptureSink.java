package io.fieldproof.agent.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink of an agent whose config names no capture store: it keeps nothing, and counts the
 * windows and bytes it dropped.
 */
public final class DroppingCaptureSink implements CaptureSink {

  private final AtomicLong windows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  @Override
  public void accept(CapturedWindow window, CaptureBudget budget) {
    windows.incrementAndGet();
    bytes.addAndGet(window.body().length);
  }

  public long droppedWindows() {
    return windows.get();
  }

  public long droppedBytes() {
    return bytes.get();
  }
}
