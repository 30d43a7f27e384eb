package io.fieldproof.agent.config;

import io.fieldproof.protocol.mqtt.MqttSettings;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one gateway's agent, read from a YAML file: who it is, where the broker is,
 * where its durable state lives, which devices are attached to it, and whose signature a desired
 * state must carry.
 */
public record AgentConfig(
    String gateway,
    String namespace,
    Broker broker,
    Path stateDir,
    Duration reportInterval,
    int maxSpooledEvents,
    List<Device> devices,
    Trust trust,
    CaptureStore captureStore) {

  /** An agent that uploads no captured windows (no {@code captureStore} in its file). */
  public AgentConfig(
      String gateway,
      String namespace,
      Broker broker,
      Path stateDir,
      Duration reportInterval,
      int maxSpooledEvents,
      List<Device> devices,
      Trust trust) {
    this(
        gateway,
        namespace,
        broker,
        stateDir,
        reportInterval,
        maxSpooledEvents,
        devices,
        trust,
        null);
  }

  /**
   * The S3-compatible object store the agent uploads captured windows to, with the credentials of
   * an access key (read from files or the environment, never logged), and how much disk the windows
   * waiting for it may take.
   *
   * @param endpoint http(s)://host:port of the store's S3 API
   * @param bucket the bucket the windows go to
   * @param region the region the requests are signed for (SeaweedFS and MinIO accept any)
   * @param accessKeyId the access key's id
   * @param secretAccessKey the access key's secret
   * @param spoolBytes bytes of windows kept on disk at most while they wait for the store
   * @param initialRetryDelay the first wait after a failed upload, doubled up to maxRetryDelay
   * @param maxRetryDelay the longest wait between two attempts while the store is unreachable
   */
  public record CaptureStore(
      java.net.URI endpoint,
      String bucket,
      String region,
      String accessKeyId,
      char[] secretAccessKey,
      long spoolBytes,
      Duration initialRetryDelay,
      Duration maxRetryDelay) {

    @Override
    public String toString() {
      return "CaptureStore[endpoint="
          + endpoint
          + ", bucket="
          + bucket
          + ", accessKeyId="
          + accessKeyId
          + ", secretAccessKey=****]";
    }
  }

  /**
   * The operator's public keys (Ed25519) whose signature a desired state must carry; two while a
   * key is rotated. {@code allowUnsigned} turns the check off, for development only.
   */
  public record Trust(List<PublicKey> publicKeys, boolean allowUnsigned) {

    public Trust {
      publicKeys = List.copyOf(publicKeys);
    }

    /** Desired states signed by one of {@code keys}. */
    public static Trust keys(List<PublicKey> keys) {
      return new Trust(keys, false);
    }

    /** Any desired state, signed or not: for development only. */
    public static Trust anything() {
      return new Trust(List.of(), true);
    }
  }

  /**
   * How to reach the MQTT broker. The password is never logged. TLS: the CA bundle and, for mutual
   * TLS, the client certificate chain and its PKCS#8 key (PEM files, both or neither).
   */
  public record Broker(
      String uri,
      String username,
      char[] password,
      Path caFile,
      Path clientCertFile,
      Path clientKeyFile,
      boolean verifyHostname,
      Duration sessionExpiry,
      Duration keepAlive,
      Duration initialReconnectDelay,
      Duration maxReconnectDelay,
      int maximumPacketSize) {

    /** A broker without a client certificate, with the default maximum packet size. */
    public Broker(
        String uri,
        String username,
        char[] password,
        Path caFile,
        boolean verifyHostname,
        Duration sessionExpiry,
        Duration keepAlive,
        Duration initialReconnectDelay,
        Duration maxReconnectDelay) {
      this(
          uri,
          username,
          password,
          caFile,
          null,
          null,
          verifyHostname,
          sessionExpiry,
          keepAlive,
          initialReconnectDelay,
          maxReconnectDelay,
          MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE);
    }

    @Override
    public String toString() {
      return "Broker[uri="
          + uri
          + ", username="
          + username
          + ", password="
          + (password == null ? "none" : "****")
          + ", clientCert="
          + (clientCertFile == null ? "none" : clientCertFile)
          + "]";
    }
  }

  /**
   * An attached device: its link (tcp://host:port to an emulator or a serial bridge), the chip the
   * gateway expects there (checked against the device's HELLO), its labels, and the line to its ROM
   * bootloader (null when the agent cannot reach it; then models go in through the firmware only).
   */
  public record Device(String link, String chip, Map<String, String> labels, String bootloader) {

    /** A device without a bootloader line. */
    public Device(String link, String chip, Map<String, String> labels) {
      this(link, chip, labels, null);
    }
  }
}
