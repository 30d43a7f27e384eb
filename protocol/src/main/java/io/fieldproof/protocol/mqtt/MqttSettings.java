package io.fieldproof.protocol.mqtt;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one client connects: broker, identity, credentials, TLS, session and reconnect timing. The
 * password never appears in toString.
 */
public record MqttSettings(
    String uri,
    String clientId,
    String username,
    char[] password,
    Path caFile,
    boolean verifyHostname,
    boolean cleanStart,
    Duration sessionExpiry,
    Duration keepAlive,
    Duration initialReconnectDelay,
    Duration maxReconnectDelay,
    Path persistenceDir) {

  @Override
  public String toString() {
    return "MqttSettings[uri="
        + uri
        + ", clientId="
        + clientId
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "****")
        + ", cleanStart="
        + cleanStart
        + "]";
  }
}
