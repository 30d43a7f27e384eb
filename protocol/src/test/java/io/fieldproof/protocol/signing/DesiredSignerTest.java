package io.fieldproof.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DesiredState;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DesiredSignerTest {

  @Test
  void derivesTheRfc8032PublicKeyFromTheSecretKey() {
    var key = Ed25519Keys.publicKeyOf(SigningFixtures.rfc8032PrivateKey());
    assertThat(HexFormat.of().formatHex(Ed25519Keys.raw(key)))
        .isEqualTo(SigningFixtures.RFC8032_PUBLIC);
  }

  @Test
  void derivesThePublicKeyOfAFreshPair() {
    KeyPair pair = SigningFixtures.freshPair();
    assertThat(Ed25519Keys.publicKeyOf(pair.getPrivate())).isEqualTo(pair.getPublic());
  }

  @Test
  void keyIdIsTheStartOfTheRawKeysSha256() throws Exception {
    var key = Ed25519Keys.publicKeyOf(SigningFixtures.rfc8032PrivateKey());
    String digest =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(HexFormat.of().parseHex(SigningFixtures.RFC8032_PUBLIC)));
    assertThat(Ed25519Keys.keyId(key)).isEqualTo(digest.substring(0, 16));
  }

  @Test
  void publicKeyPemReadsBack() {
    KeyPair pair = SigningFixtures.freshPair();
    assertThat(Ed25519Keys.publicKey(Ed25519Keys.pem(pair.getPublic())))
        .isEqualTo(pair.getPublic());
  }

  @Test
  void signsTheTestVector() {
    DesiredSigner signer = DesiredSigner.fromPem(SigningFixtures.rfc8032PrivatePem());
    DesiredState signed =
        signer.sign("plant-a", SigningFixtures.vectorState(), SigningFixtures.SIGNED_AT);
    assertThat(signed.signature().alg()).isEqualTo("Ed25519");
    assertThat(signed.signature().keyId()).isEqualTo(TestVector.KEY_ID);
    assertThat(signed.signature().signedAt()).isEqualTo(SigningFixtures.SIGNED_AT);
    assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(signed.signature().value())))
        .isEqualTo(TestVector.SIGNATURE);
  }

  @Test
  void signingIsDeterministicAndReplacesAnOldSignature() {
    DesiredSigner signer = DesiredSigner.fromPem(SigningFixtures.rfc8032PrivatePem());
    DesiredSigner other = new DesiredSigner(SigningFixtures.freshPair().getPrivate());
    DesiredState once =
        signer.sign("plant-a", SigningFixtures.vectorState(), SigningFixtures.SIGNED_AT);
    DesiredState again =
        signer.sign("plant-a", other.sign("plant-a", once, 1), SigningFixtures.SIGNED_AT);
    assertThat(again).isEqualTo(once);
    assertThat(signer.signedByThisKey(once)).isTrue();
    assertThat(other.signedByThisKey(once)).isFalse();
    assertThat(signer.signedByThisKey(once.unsigned())).isFalse();
  }
}
