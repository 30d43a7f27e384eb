package io.fieldproof.agent;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import java.time.Clock;

/** Builds the device events an agent raises, stamped with the time they happened. */
final class AgentEvents {

  private final String gateway;
  private final Clock clock;

  AgentEvents(String gateway, Clock clock) {
    this.gateway = gateway;
    this.clock = clock;
  }

  DeviceEvent event(String device, String kind, String reason, String message) {
    return new DeviceEvent(
        Message.VERSION, device, gateway, 0, clock.instant().toString(), kind, reason, message);
  }

  /** The device booted since the agent last looked ({@code how} it showed it). */
  DeviceEvent deviceRebooted(String device, String how, long runningGeneration) {
    return event(
        device,
        "device",
        "DeviceRebooted",
        how + "; it runs config generation " + runningGeneration);
  }

  /** The device runs another config generation than the one the agent applied to it. */
  DeviceEvent configLost(String device, long runningGeneration, long appliedGeneration) {
    return event(
        device,
        "config",
        "ConfigLost",
        "the device runs config generation "
            + runningGeneration
            + ", not "
            + appliedGeneration
            + " as applied");
  }

  /** The device no longer runs the model the agent confirmed on it, which is written again. */
  DeviceEvent modelLost(String device, Slots slots, ModelRef confirmed) {
    ModelRef active = slots == null ? null : slots.activeModel();
    return event(
        device,
        "update",
        "ModelLost",
        "runs "
            + (active == null ? "no model" : active.name() + " " + active.version())
            + " instead of the confirmed "
            + confirmed.name()
            + " "
            + confirmed.version()
            + ": writing it again");
  }
}
