package io.fieldproof.agent;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.ReportedState;

/** What a device supervisor sends upstream; the agent decides how and when it reaches MQTT. */
interface AgentChannel {

  /** Publishes the device twin (retained), now if connected, else at the next connect. */
  void report(ReportedState state);

  /** Spools and sends an event. */
  void raise(DeviceEvent event);

  /** The device's identity became known or changed: the gateway's birth must list it. */
  void inventoryChanged();
}
