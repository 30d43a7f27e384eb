package io.fieldproof.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent observed of one device, retained on the device's reported topic: the device twin.
 * The operator's fleet index is rebuilt from these after a restart. {@code phase} and {@code
 * lastError} describe the latest model update, {@code update} which desired model it was for.
 */
public record ReportedState(
    int v,
    String device,
    String gateway,
    Link link,
    long observedGeneration,
    String configError,
    Slots slots,
    String phase,
    String lastError,
    Health health,
    UpdateAttempt update)
    implements Message {

  /** A report without an update attempt (none tried since the agent started). */
  public ReportedState(
      int v,
      String device,
      String gateway,
      Link link,
      long observedGeneration,
      String configError,
      Slots slots,
      String phase,
      String lastError,
      Health health) {
    this(
        v,
        device,
        gateway,
        link,
        observedGeneration,
        configError,
        slots,
        phase,
        lastError,
        health,
        null);
  }

  /** Whether the agent can talk to the device right now. */
  public enum Link {
    @JsonProperty("connected")
    CONNECTED,
    @JsonProperty("unreachable")
    UNREACHABLE
  }

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (device == null || device.isBlank()) {
      problems.add("device is required");
    }
    if (gateway == null || gateway.isBlank()) {
      problems.add("gateway is required");
    }
    if (link == null) {
      problems.add("link is required");
    }
    if (observedGeneration < 0) {
      problems.add("observedGeneration must not be negative");
    }
    if (health != null && health.capture() != null) {
      problems.addAll(health.capture().problems("health.capture"));
    }
    return problems;
  }
}
