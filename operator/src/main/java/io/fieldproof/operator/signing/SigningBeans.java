package io.fieldproof.operator.signing;

import io.fieldproof.protocol.signing.DesiredSigner;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Reads the signing key at startup. Secure by default: with signing on (the default) and no usable
 * key the operator does not start, and says why.
 */
@ApplicationScoped
public class SigningBeans {

  private static final Logger LOG = Logger.getLogger(SigningBeans.class);

  @Produces
  @Singleton
  DesiredSigning desiredSigning(SigningConfig config, MeterRegistry registry) {
    if (!config.enabled()) {
      LOG.warn(
          "fieldproof.signing.enabled=false: desired states are published UNSIGNED; agents that"
              + " check signatures refuse them. For development only");
      return DesiredSigning.disabled();
    }
    Path file =
        config
            .keyFile()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "fieldproof.signing.key-file is not set: the operator signs every desired"
                            + " state with an Ed25519 key (openssl genpkey -algorithm ed25519,"
                            + " mounted from a Secret); set fieldproof.signing.enabled=false to"
                            + " publish unsigned states, for development only"));
    DesiredSigner signer = read(file);
    LOG.infof("desired states are signed with Ed25519 key %s from %s", signer.keyId(), file);
    return DesiredSigning.with(signer, registry, Clock.systemUTC());
  }

  private static DesiredSigner read(Path file) {
    try {
      return DesiredSigner.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the signing key fieldproof.signing.key-file=" + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "fieldproof.signing.key-file="
              + file
              + " is not an unencrypted PKCS#8 Ed25519 private key: "
              + e.getMessage(),
          e);
    }
  }
}
