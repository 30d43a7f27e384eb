package io.fieldproof.agent.state;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.Slots;

/**
 * What the agent knows of one device and keeps across restarts: its identity as the device last
 * said it, the desired generation it applied, and what its slots hold.
 */
public record DeviceRecord(
    String link,
    String id,
    String chip,
    String firmware,
    Capabilities capabilities,
    long appliedGeneration,
    String appliedConfigSha256,
    Slots slots) {

  public DeviceRecord withApplied(long generation, String configSha256) {
    return new DeviceRecord(
        link, id, chip, firmware, capabilities, generation, configSha256, slots);
  }

  public DeviceRecord withSlots(Slots newSlots) {
    return new DeviceRecord(
        link, id, chip, firmware, capabilities, appliedGeneration, appliedConfigSha256, newSlots);
  }
}
