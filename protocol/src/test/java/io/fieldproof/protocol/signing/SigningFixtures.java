package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.SelfTest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Keys and desired states for the signing tests. */
final class SigningFixtures {

  /** RFC 8032, section 7.1, TEST 1: a published key, so other implementations can check theirs. */
  static final String RFC8032_SECRET =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  static final String RFC8032_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  /** The signing time of the test vector, 2026-05-28T20:26:40Z. */
  static final long SIGNED_AT = 1_780_000_000_000L;

  private static final String PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";

  private SigningFixtures() {}

  /** The RFC 8032 test key as openssl writes a private key. */
  static String rfc8032PrivatePem() {
    byte[] der = HexFormat.of().parseHex(PKCS8_ED25519_PREFIX + RFC8032_SECRET);
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  static PrivateKey rfc8032PrivateKey() {
    return Ed25519Keys.privateKey(rfc8032PrivatePem());
  }

  static KeyPair freshPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The desired state of the test vector in docs/protocol.md. */
  static DesiredState vectorState() {
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(
                new RuntimeConfig.Input(
                    "accel_rms",
                    "g",
                    0.0,
                    16.0,
                    4.0,
                    50,
                    new RuntimeConfig.Normalize("zscore", 0.42, 0.13))),
            new RuntimeConfig.Decision(0, 0.8, 3),
            new RuntimeConfig.Fallback(
                "rules",
                List.of(
                    new RuntimeConfig.Rule(
                        "overtemp",
                        "always",
                        List.of(new RuntimeConfig.Condition("temperature_c", ">", 85.0)),
                        "alarm"))),
            new RuntimeConfig.Drift(3600, 3.0),
            30);
    return new DesiredState(
        Message.VERSION,
        "esp32-a4cf12e0b3d1",
        "pump-vibration",
        4,
        config,
        new ModelRef(
            "vibration-anomaly",
            "1.4.0",
            "aa8c95b2b1938c8162de16afa740d66d58233ed9d004acb054c980a0a3185250",
            3264),
        new SelfTest(0, List.of(new SelfTest.Vector(List.of(-128, 127), List.of(5)))),
        10,
        1);
  }
}
