package io.fieldproof.agent.capture;

/** Where the agent hands each window its devices captured: the spool that uploads them. */
public interface CaptureSink {

  /**
   * Takes one window under its group's budget. Never blocks on the network and never throws for a
   * window it cannot keep: it drops it and counts the drop.
   */
  void accept(CapturedWindow window, CaptureBudget budget);

  /**
   * What became of {@code device}'s windows (uploaded, dropped by reason); null from a sink that
   * does not count them.
   */
  default DeviceCaptureCounts counts(String device) {
    return null;
  }
}
