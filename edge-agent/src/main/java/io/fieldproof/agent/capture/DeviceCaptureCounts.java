package io.fieldproof.agent.capture;

import java.util.Map;

/**
 * What the agent did with one device's captured windows: how many the store acknowledged, and how
 * many it dropped by reason label (only reasons with drops). The spool keeps them across agent
 * restarts ({@link CaptureCounts}); an agent without a store counts since it started.
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
