package io.fieldproof.operator.mqtt;

import io.fieldproof.protocol.DesiredState;
import java.util.HashMap;
import java.util.Map;

/**
 * While a reconnected session receives the broker's retained desired states, they are collected
 * here instead of overwriting the operator's own: the operator ran the whole time, so what it holds
 * is the truth, and what the broker sends back (nothing, after losing its retained messages, or an
 * old snapshot from its persistence file) is what must be compared with it and corrected.
 */
public final class DesiredCapture {

  private Map<String, Map<String, DesiredState>> captured;

  /** Starts collecting: the session came back and is about to subscribe again. */
  synchronized void start() {
    captured = new HashMap<>();
  }

  /**
   * Takes a retained desired state if collecting.
   *
   * @return false when not collecting: the caller applies the message as usual
   */
  synchronized boolean offer(String namespace, String device, DesiredState desired) {
    if (captured == null) {
      return false;
    }
    captured.computeIfAbsent(namespace, ns -> new HashMap<>()).put(device, desired);
    return true;
  }

  /** Stops collecting and hands over what the broker retains, by namespace and device. */
  synchronized Map<String, Map<String, DesiredState>> finish() {
    Map<String, Map<String, DesiredState>> result = captured == null ? Map.of() : captured;
    captured = null;
    return result;
  }
}
