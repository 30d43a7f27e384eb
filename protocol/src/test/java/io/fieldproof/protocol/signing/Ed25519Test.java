package io.fieldproof.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle's Ed25519 is a drop-in for the JDK's: the same signatures byte for byte (Ed25519 is
 * deterministic), each verifying the other's, so agents and operators of either kind agree.
 */
class Ed25519Test {

  /** RFC 8032, section 7.1, TEST 1: the empty message. */
  private static final String RFC8032_EMPTY_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void signsTheRfc8032TestVector() {
    PrivateKey key = SigningFixtures.rfc8032PrivateKey();
    byte[] signature = Ed25519.sign(key, new byte[0]);

    assertThat(HexFormat.of().formatHex(signature)).isEqualTo(RFC8032_EMPTY_SIGNATURE);
    assertThat(HexFormat.of().formatHex(Ed25519Keys.raw(Ed25519Keys.publicKeyOf(key))))
        .isEqualTo(SigningFixtures.RFC8032_PUBLIC);
    assertThat(Ed25519.verify(Ed25519Keys.publicKeyOf(key), new byte[0], signature)).isTrue();
  }

  @Test
  void givesTheJdksSignaturesAndVerifiesBothWays() throws GeneralSecurityException {
    Random random = new Random(18);
    for (int i = 0; i < 20; i++) {
      KeyPair pair = SigningFixtures.freshPair();
      byte[] message = new byte[random.nextInt(2000)];
      random.nextBytes(message);

      byte[] ours = Ed25519.sign(pair.getPrivate(), message);
      byte[] jdks = jdkSign(pair.getPrivate(), message);

      assertThat(ours).isEqualTo(jdks);
      assertThat(jdkVerify(pair.getPublic(), message, ours)).isTrue();
      assertThat(Ed25519.verify(pair.getPublic(), message, jdks)).isTrue();
    }
  }

  @Test
  void refusesAnotherMessageAnotherKeyAndAMangledSignature() {
    KeyPair pair = SigningFixtures.freshPair();
    byte[] message = "generation 4 of pump-vibration".getBytes(StandardCharsets.UTF_8);
    byte[] signature = Ed25519.sign(pair.getPrivate(), message);

    byte[] other = "generation 5 of pump-vibration".getBytes(StandardCharsets.UTF_8);
    assertThat(Ed25519.verify(pair.getPublic(), other, signature)).isFalse();
    assertThat(Ed25519.verify(SigningFixtures.freshPair().getPublic(), message, signature))
        .isFalse();
    byte[] flipped = signature.clone();
    flipped[10] ^= 0x01;
    assertThat(Ed25519.verify(pair.getPublic(), message, flipped)).isFalse();
    assertThat(Ed25519.verify(pair.getPublic(), message, new byte[63])).isFalse();
    byte[] large = signature.clone();
    large[63] = (byte) 0xff; // S above the group order: RFC 8032 rejects it
    assertThat(Ed25519.verify(pair.getPublic(), message, large)).isFalse();
  }

  private static byte[] jdkSign(PrivateKey key, byte[] message) throws GeneralSecurityException {
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initSign(key);
    ed25519.update(message);
    return ed25519.sign();
  }

  private static boolean jdkVerify(PublicKey key, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initVerify(key);
    ed25519.update(message);
    return ed25519.verify(signature);
  }
}
