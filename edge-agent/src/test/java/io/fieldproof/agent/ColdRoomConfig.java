package io.fieldproof.agent;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.RuntimeConfig;
import java.util.List;

/**
 * The runtime configuration the agent tests desire for their cold-room devices: one input,
 * temperature_c (-40 to 60 C, z-scored around 4 C), the model's output 0 deciding at 0.8 over 3
 * steps, hold-last as the fallback.
 */
final class ColdRoomConfig {

  /** The group the tests' desired states name. */
  static final String GROUP = "cold-room";

  private ColdRoomConfig() {}

  /** The cold-room configuration, the device reporting every {@code reportSeconds}. */
  static RuntimeConfig reportingEvery(int reportSeconds) {
    return new RuntimeConfig(
        List.of(
            new RuntimeConfig.Input(
                "temperature_c",
                "C",
                -40.0,
                60.0,
                null,
                null,
                new RuntimeConfig.Normalize("zscore", 4.0, 2.0))),
        new RuntimeConfig.Decision(0, 0.8, 3),
        new RuntimeConfig.Fallback("hold-last", List.of()),
        null,
        reportSeconds);
  }

  /**
   * A desired state of generation {@code generation} for {@code device} with the cold-room
   * configuration (a report every second) and no model.
   */
  static DesiredState configOnly(String device, long generation) {
    return new DesiredState(
        Message.VERSION, device, GROUP, generation, reportingEvery(1), null, null, 1);
  }
}
