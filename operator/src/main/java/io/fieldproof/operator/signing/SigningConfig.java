package io.fieldproof.operator.signing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** How the operator signs the desired states it publishes (fieldproof.signing.*). */
@ConfigMapping(prefix = "fieldproof.signing")
public interface SigningConfig {

  /**
   * Whether desired states are signed. The operator refuses to start with signing on and no key;
   * false publishes them unsigned, for development only (logged as a warning at startup).
   */
  @WithDefault("true")
  boolean enabled();

  /**
   * The active signer: an Ed25519 private key, unencrypted PKCS#8 PEM ({@code openssl genpkey
   * -algorithm ed25519}), mounted from a Secret.
   */
  Optional<Path> keyFile();
}
