package io.fieldproof.protocol.mqtt;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one client connects: broker, identity, credentials, TLS, session and reconnect timing. The
 * password never appears in toString.
 *
 * <p>TLS: {@code caFile} is the PEM bundle that signed the broker's certificate (null: the JVM's
 * trust store); {@code clientCertFile} (PEM chain, the client's certificate first) and {@code
 * clientKeyFile} (PEM, unencrypted PKCS#8, RSA or EC) are the client certificate for mutual TLS,
 * both or neither. The files are read again on every connection attempt, so a renewed certificate
 * is used from the next reconnect on.
 *
 * <p>{@code maximumPacketSize} goes into every CONNECT (MQTT 5 Maximum Packet Size): the broker
 * never sends this client a larger packet.
 */
public record MqttSettings(
    String uri,
    String clientId,
    String username,
    char[] password,
    Path caFile,
    Path clientCertFile,
    Path clientKeyFile,
    boolean verifyHostname,
    boolean cleanStart,
    Duration sessionExpiry,
    Duration keepAlive,
    Duration initialReconnectDelay,
    Duration maxReconnectDelay,
    Path persistenceDir,
    int maximumPacketSize) {

  /**
   * 1 MiB: the largest payload of the contract (a gateway state, 256 KiB; model chunks at most 48
   * KiB, docs/protocol.md) with its topic and properties fits with room to spare, and it matches
   * the brokers' configured limit in the tests and the chart's embedded broker.
   */
  public static final int DEFAULT_MAXIMUM_PACKET_SIZE = 1024 * 1024;

  public MqttSettings {
    if ((clientCertFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs both its certificate file and its key file");
    }
    if (maximumPacketSize < 1) {
      throw new IllegalArgumentException("maximumPacketSize must be positive");
    }
  }

  /** Settings without a client certificate and with the default maximum packet size. */
  public MqttSettings(
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
    this(
        uri,
        clientId,
        username,
        password,
        caFile,
        null,
        null,
        verifyHostname,
        cleanStart,
        sessionExpiry,
        keepAlive,
        initialReconnectDelay,
        maxReconnectDelay,
        persistenceDir,
        DEFAULT_MAXIMUM_PACKET_SIZE);
  }

  /**
   * True when the connection needs a socket factory of ours: a CA bundle or a client certificate.
   */
  boolean customTls() {
    return caFile != null || clientCertFile != null;
  }

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
        + ", clientCert="
        + (clientCertFile == null ? "none" : clientCertFile)
        + ", cleanStart="
        + cleanStart
        + "]";
  }
}
