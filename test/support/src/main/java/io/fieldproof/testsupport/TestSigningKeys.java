package io.fieldproof.testsupport;

import java.nio.file.Path;

/**
 * The Ed25519 key pairs tests sign and verify desired states with (PEM files in this module's
 * resources, made with openssl; never trusted outside tests).
 */
public enum TestSigningKeys {
  /** Signs what every test operator publishes; every test agent trusts it. */
  TEST("test-signing-key"),
  /** The second key of the rotation tests. */
  NEXT("next-signing-key");

  private static final String FOLDER =
      "test/support/src/main/resources/io/fieldproof/testsupport/signing/";

  private final String name;

  TestSigningKeys(String name) {
    this.name = name;
  }

  /** The private key, PKCS#8 PEM, as the operator reads it from its Secret. */
  public Path privateKeyFile() {
    return ProjectPaths.root().resolve(FOLDER + name + ".pem");
  }

  /** The public key, X.509 PEM, as agents are configured with it. */
  public Path publicKeyFile() {
    return ProjectPaths.root().resolve(FOLDER + name + ".pub.pem");
  }
}
