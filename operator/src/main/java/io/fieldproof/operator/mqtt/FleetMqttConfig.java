package io.fieldproof.operator.mqtt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The operator's broker connection (fieldproof.mqtt.*). */
@ConfigMapping(prefix = "fieldproof.mqtt")
public interface FleetMqttConfig {

  /** tcp://host:port or ssl://host:port. */
  @WithDefault("tcp://127.0.0.1:1883")
  String uri();

  @WithDefault("fieldproof-operator")
  String clientId();

  Optional<String> username();

  Optional<String> password();

  /** CA bundle (PEM) that signed the broker's certificate, for ssl:// URIs. */
  Optional<Path> caFile();

  /**
   * Client certificate chain (PEM, the operator's certificate first) for mutual TLS, with {@link
   * #clientKeyFile()}; both or neither.
   */
  Optional<Path> clientCertFile();

  /** The client certificate's private key: PEM, unencrypted PKCS#8 (RSA or EC). */
  Optional<Path> clientKeyFile();

  @WithDefault("true")
  boolean verifyHostname();

  /**
   * Maximum Packet Size sent in every CONNECT: the broker sends no larger packet. 1 MiB holds the
   * contract's largest message (a 256 KiB gateway state) with room to spare.
   */
  @WithDefault("1048576")
  int maximumPacketSize();

  /**
   * Group of the shared subscription for device events, so several replicas split that load.
   * Retained topics (gateway state, reported, desired) are subscribed without sharing: MQTT 5 does
   * not deliver retained messages to shared subscriptions, and the index is rebuilt from them.
   */
  @WithDefault("fieldproof-operator")
  String sharedGroup();

  /** Namespace whose topics this replica reads, or + for all (sharding by namespace). */
  @WithDefault("+")
  String namespace();

  @WithDefault("250ms")
  Duration coalesceWindow();
}
