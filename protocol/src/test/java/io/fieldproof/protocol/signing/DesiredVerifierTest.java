package io.fieldproof.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DesiredSignature;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.Topic;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredVerifierTest {

  private static final String NS = "plant-a";
  private static final long T = SigningFixtures.SIGNED_AT;

  private final KeyPair oldKey = SigningFixtures.freshPair();
  private final KeyPair newKey = SigningFixtures.freshPair();
  private final DesiredSigner oldSigner = new DesiredSigner(oldKey.getPrivate());
  private final DesiredSigner newSigner = new DesiredSigner(newKey.getPrivate());
  private final DesiredState state = SigningFixtures.vectorState();
  private final String device = state.device();

  @Test
  void acceptsAGoodSignatureAfterTheJsonRoundTrip() throws Exception {
    DesiredState signed = oldSigner.sign(NS, state, T);
    DesiredState received =
        MessageCodec.decodeDesired(Topic.desired(NS, "gw-1", device), MessageCodec.encode(signed));
    assertThat(verifier(oldKey).check(NS, device, received)).isEmpty();
  }

  @Test
  void refusesAnUnsignedState() {
    assertThat(reason(verifier(oldKey).check(NS, device, state))).contains(Refusal.Reason.UNSIGNED);
  }

  @Test
  void refusesAKeyItDoesNotTrust() {
    assertThat(reason(verifier(oldKey).check(NS, device, newSigner.sign(NS, state, T))))
        .contains(Refusal.Reason.UNKNOWN_KEY);
  }

  @Test
  void refusesAnAlteredState() {
    DesiredState signed = oldSigner.sign(NS, state, T);
    DesiredState otherModel =
        SigningPayloadTest.withModel(state, null).withSignature(signed.signature());
    DesiredState lowerThreshold =
        SigningPayloadTest.withThreshold(state, 0.99).withSignature(signed.signature());
    assertThat(reason(verifier(oldKey).check(NS, device, otherModel)))
        .contains(Refusal.Reason.INVALID);
    assertThat(reason(verifier(oldKey).check(NS, device, lowerThreshold)))
        .contains(Refusal.Reason.INVALID);
  }

  @Test
  void refusesGarbageInTheSignature() {
    DesiredSignature good = oldSigner.sign(NS, state, T).signature();
    for (DesiredSignature bad :
        List.of(
            new DesiredSignature("Ed25519", good.keyId(), T, "not base64!"),
            new DesiredSignature("Ed25519", good.keyId(), T, null),
            new DesiredSignature(
                "Ed25519", good.keyId(), T, Base64.getEncoder().encodeToString(new byte[63])),
            new DesiredSignature(
                "Ed25519", good.keyId(), T, Base64.getEncoder().encodeToString(new byte[64])),
            new DesiredSignature("RSA", good.keyId(), T, good.value()))) {
      assertThat(reason(verifier(oldKey).check(NS, device, state.withSignature(bad))))
          .as("%s", bad)
          .contains(Refusal.Reason.INVALID);
    }
    assertThat(
            reason(
                verifier(oldKey)
                    .check(
                        NS,
                        device,
                        state.withSignature(
                            new DesiredSignature("Ed25519", null, T, good.value())))))
        .contains(Refusal.Reason.UNKNOWN_KEY);
  }

  @Test
  void theSigningTimeIsPartOfTheSignature() {
    DesiredSignature good = oldSigner.sign(NS, state, T).signature();
    DesiredSignature later =
        new DesiredSignature("Ed25519", good.keyId(), T + 60_000, good.value());
    DesiredSignature none = new DesiredSignature("Ed25519", good.keyId(), null, good.value());
    assertThat(reason(verifier(oldKey).check(NS, device, state.withSignature(later))))
        .contains(Refusal.Reason.INVALID);
    assertThat(reason(verifier(oldKey).check(NS, device, state.withSignature(none))))
        .contains(Refusal.Reason.INVALID);
  }

  @Test
  void refusesAStateReplayedFromAnotherNamespace() {
    DesiredState signedForB = oldSigner.sign("plant-b", state, T);
    assertThat(reason(verifier(oldKey).check(NS, device, signedForB)))
        .contains(Refusal.Reason.INVALID);
  }

  @Test
  void refusesAStateReplayedFromAnotherGroupOrDevice() {
    DesiredState signed = oldSigner.sign(NS, state, T);
    DesiredState asOtherGroup =
        SigningPayloadTest.withGroup(state, "other-group").withSignature(signed.signature());
    assertThat(reason(verifier(oldKey).check(NS, device, asOtherGroup)))
        .contains(Refusal.Reason.INVALID);
    assertThat(reason(verifier(oldKey).check(NS, "esp32-000000000001", signed)))
        .contains(Refusal.Reason.MISMATCH);
  }

  @Test
  void rotationTrustsBothKeysWhileBothAreConfiguredAndOnlyTheNewAfter() {
    DesiredVerifier during = new DesiredVerifier(List.of(oldKey.getPublic(), newKey.getPublic()));
    DesiredVerifier after = new DesiredVerifier(List.of(newKey.getPublic()));
    assertThat(during.check(NS, device, oldSigner.sign(NS, state, T))).isEmpty();
    assertThat(during.check(NS, device, newSigner.sign(NS, state, T))).isEmpty();
    assertThat(after.check(NS, device, newSigner.sign(NS, state, T))).isEmpty();
    assertThat(reason(after.check(NS, device, oldSigner.sign(NS, state, T))))
        .contains(Refusal.Reason.UNKNOWN_KEY);
  }

  @Test
  void aSignatureUnderATrustedKeyIdButAnotherKeyIsInvalid() {
    DesiredState forged = newSigner.sign(NS, state, T);
    DesiredSignature claimed =
        new DesiredSignature("Ed25519", oldSigner.keyId(), T, forged.signature().value());
    assertThat(reason(verifier(oldKey).check(NS, device, state.withSignature(claimed))))
        .contains(Refusal.Reason.INVALID);
  }

  private static DesiredVerifier verifier(KeyPair... pairs) {
    return new DesiredVerifier(List.of(pairs).stream().map(KeyPair::getPublic).toList());
  }

  private static Optional<Refusal.Reason> reason(Optional<Refusal> refusal) {
    return refusal.map(Refusal::reason);
  }
}
