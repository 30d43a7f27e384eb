package io.fieldproof.agent.capture;

import java.util.Map;

/**
 * What the agent did with one device's captured windows since it started: how many the store
 * acknowledged, and how many it dropped by reason label (only reasons with drops).
 */
public record DeviceCaptureCounts(long uploaded, Map<String, Long> dropped) {

  public DeviceCaptureCounts {
    dropped = Map.copyOf(dropped);
  }

  /** Whether the agent did anything with the device's windows yet. */
  public boolean any() {
    return uploaded > 0 || !dropped.isEmpty();
  }
}
