package io.fieldproof.agent;

import io.fieldproof.protocol.mqtt.MqttSettings;
import java.time.Duration;

/**
 * Settings of the MQTT clients the agent's tests open beside the agent (the operator's side of the
 * broker): anonymous, no TLS, a clean session that ends with the connection, a 30 s keep-alive and
 * the agent's fast test reconnects (50 ms backing off to 500 ms).
 */
public final class TestBrokerClients {

  private TestBrokerClients() {}

  /** Client {@code clientId} of the test broker at {@code brokerUri}. */
  public static MqttSettings settings(String brokerUri, String clientId) {
    return new MqttSettings(
        brokerUri,
        clientId,
        null,
        null,
        null,
        true,
        true,
        Duration.ZERO,
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        Duration.ofMillis(500),
        null);
  }
}
