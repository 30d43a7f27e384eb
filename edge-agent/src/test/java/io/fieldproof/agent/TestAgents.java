package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.protocol.signing.Ed25519Keys;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

/**
 * Agent configurations for tests: a local broker without credentials, fast reconnects, trusting the
 * test signing key.
 */
final class TestAgents {

  private TestAgents() {}

  static AgentConfig config(
      String gateway,
      String namespace,
      String brokerUri,
      Path stateDir,
      Duration reportInterval,
      int maxSpooledEvents,
      List<AgentConfig.Device> devices) {
    return config(
        gateway,
        namespace,
        brokerUri,
        stateDir,
        reportInterval,
        maxSpooledEvents,
        devices,
        trust(TestSigningKeys.TEST));
  }

  static AgentConfig config(
      String gateway,
      String namespace,
      String brokerUri,
      Path stateDir,
      Duration reportInterval,
      int maxSpooledEvents,
      List<AgentConfig.Device> devices,
      AgentConfig.Trust trust) {
    return new AgentConfig(
        gateway,
        namespace,
        new AgentConfig.Broker(
            brokerUri,
            null,
            null,
            null,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            Duration.ofMillis(500)),
        stateDir,
        reportInterval,
        maxSpooledEvents,
        devices,
        trust);
  }

  /** Trust in the public keys of {@code keys}. */
  static AgentConfig.Trust trust(TestSigningKeys... keys) {
    return AgentConfig.Trust.keys(
        java.util.Arrays.stream(keys).map(TestAgents::publicKey).toList());
  }

  static PublicKey publicKey(TestSigningKeys key) {
    try {
      return Ed25519Keys.publicKey(Files.readString(key.publicKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong LAST_SIGNED =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A signing time later than every one handed out before, as the operator's are for a device: the
   * agent refuses a state signed before one it accepted.
   */
  static long signingTime() {
    return LAST_SIGNED.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
  }

  /** Signs desired states as a test operator does. */
  static DesiredSigner signer(TestSigningKeys key) {
    try {
      return DesiredSigner.fromPem(Files.readString(key.privateKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
