package io.fieldproof.operator;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.operator.signing.DesiredSigning;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.protocol.signing.DesiredVerifier;
import io.fieldproof.protocol.signing.Ed25519Keys;
import io.fieldproof.testsupport.TestSigningKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.util.List;

/**
 * The test signing key on both sides: what the test operator signs with (also the key of
 * application.properties) and what test agents trust.
 */
public final class TestSigning {

  private TestSigning() {}

  public static DesiredSigner signer() {
    try {
      return DesiredSigner.fromPem(Files.readString(TestSigningKeys.TEST.privateKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DesiredSigning signing() {
    try {
      return DesiredSigning.with(
          DesiredSigner.fromPem(Files.readString(TestSigningKeys.TEST.privateKeyFile())),
          new SimpleMeterRegistry(),
          java.time.Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PublicKey publicKey() {
    try {
      return Ed25519Keys.publicKey(Files.readString(TestSigningKeys.TEST.publicKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AgentConfig.Trust agentTrust() {
    return AgentConfig.Trust.keys(List.of(publicKey()));
  }

  public static DesiredVerifier verifier() {
    return new DesiredVerifier(List.of(publicKey()));
  }
}
