package io.fieldproof.agent;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Message;
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
}
