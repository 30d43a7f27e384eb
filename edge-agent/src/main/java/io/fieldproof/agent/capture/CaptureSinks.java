package io.fieldproof.agent.capture;

import io.fieldproof.agent.config.AgentConfig;

/**
 * Where an agent built from its config alone hands the windows its devices capture. The one seam
 * between capture and upload: today a {@link DroppingCaptureSink}; the spool that keeps windows on
 * disk and uploads them within their budgets replaces it here.
 */
public final class CaptureSinks {

  private CaptureSinks() {}

  /** The sink of an agent with {@code config}. */
  public static CaptureSink forAgent(AgentConfig config) {
    return new DroppingCaptureSink();
  }
}
