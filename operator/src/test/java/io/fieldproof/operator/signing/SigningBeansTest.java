package io.fieldproof.operator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.operator.TestSigning;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.testsupport.TestSigningKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningBeansTest {

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void withoutAKeyTheOperatorDoesNotStart() {
    assertThatThrownBy(() -> new SigningBeans().desiredSigning(config(true, null), registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fieldproof.signing.key-file is not set")
        .hasMessageContaining("fieldproof.signing.enabled=false");
  }

  @Test
  void aKeyThatIsNotAnEd25519PrivateKeyIsRefused() throws Exception {
    Path unreadable = dir.resolve("missing.pem");
    Path publicKey = TestSigningKeys.TEST.publicKeyFile();
    assertThatThrownBy(() -> new SigningBeans().desiredSigning(config(true, unreadable), registry))
        .hasMessageContaining("cannot read the signing key");
    assertThatThrownBy(() -> new SigningBeans().desiredSigning(config(true, publicKey), registry))
        .hasMessageContaining("is not an unencrypted PKCS#8 Ed25519 private key");
    Path garbage =
        Files.writeString(
            dir.resolve("garbage.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new SigningBeans().desiredSigning(config(true, garbage), registry))
        .hasMessageContaining("is not an unencrypted PKCS#8 Ed25519 private key");
  }

  @Test
  void signsWithTheKeyAndCountsWhatItSigned() {
    DesiredSigning signing =
        new SigningBeans()
            .desiredSigning(config(true, TestSigningKeys.TEST.privateKeyFile()), registry);
    DesiredState signed = signing.sign("plant-a", state(), null);

    assertThat(TestSigning.verifier().check("plant-a", "esp32-1", signed)).isEmpty();
    assertThat(signing.isCurrent(signed)).isTrue();
    assertThat(signing.isCurrent(state())).isFalse();
    assertThat(registry.get("fieldproof_desired_signed_total").counter().count()).isEqualTo(1);
  }

  @Test
  void disabledOnlyWhenSaidSoAndThenUnsigned() {
    DesiredSigning signing = new SigningBeans().desiredSigning(config(false, null), registry);
    DesiredState published =
        signing.sign("plant-a", TestSigning.signing().sign("plant-a", state(), null), null);

    assertThat(published.signature()).isNull();
    assertThat(signing.isCurrent(published)).isTrue();
  }

  @Test
  void eachStateOfADeviceIsSignedLaterThanTheOneBeforeEvenWhenTheClockWentBack() {
    DesiredSigning signing =
        DesiredSigning.with(
            TestSigning.signer(),
            registry,
            java.time.Clock.fixed(java.time.Instant.ofEpochMilli(1_000), java.time.ZoneOffset.UTC));
    DesiredState first = signing.sign("plant-a", state(), null);
    DesiredState later = TestSigning.signing().sign("plant-a", state(), null);
    DesiredState next = signing.sign("plant-a", state(), later);

    assertThat(first.signature().signedAt()).isEqualTo(1_000);
    assertThat(next.signature().signedAt()).isEqualTo(later.signature().signedAt() + 1);
    assertThat(TestSigning.verifier().check("plant-a", "esp32-1", next)).isEmpty();
  }

  private static DesiredState state() {
    return new DesiredState(
        1, "esp32-1", "g", 1, new RuntimeConfig(List.of(), null, null, null, 30), null);
  }

  private static SigningConfig config(boolean enabled, Path keyFile) {
    return new SigningConfig() {
      @Override
      public boolean enabled() {
        return enabled;
      }

      @Override
      public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
      }
    };
  }
}
