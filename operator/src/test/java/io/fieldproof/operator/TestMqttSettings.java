package io.fieldproof.operator;

import io.fieldproof.protocol.mqtt.MqttSettings;
import java.time.Duration;

/**
 * Settings of an MQTT client a test opens on its own broker: no credentials, no TLS, a clean
 * session that ends with the connection, reconnects after 100 ms backing off to 1 s.
 */
public final class TestMqttSettings {

  private TestMqttSettings() {}

  /** An anonymous client {@code clientId} of the broker at {@code brokerUri}. */
  public static MqttSettings anonymous(String brokerUri, String clientId, Duration keepAlive) {
    return new MqttSettings(
        brokerUri,
        clientId,
        null,
        null,
        null,
        true,
        true,
        Duration.ZERO,
        keepAlive,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        null);
  }
}
