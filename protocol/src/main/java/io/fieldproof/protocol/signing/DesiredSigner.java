package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DesiredSignature;
import io.fieldproof.protocol.DesiredState;
import java.security.PrivateKey;
import java.util.Base64;

/** Signs desired states with one Ed25519 private key (the operator's active signer). */
public final class DesiredSigner {

  private final PrivateKey key;
  private final String keyId;

  public DesiredSigner(PrivateKey key) {
    this.key = key;
    this.keyId = Ed25519Keys.keyId(Ed25519Keys.publicKeyOf(key));
  }

  public static DesiredSigner fromPem(String pem) {
    return new DesiredSigner(Ed25519Keys.privateKey(pem));
  }

  public String keyId() {
    return keyId;
  }

  /**
   * {@code desired} (its signature, if any, replaced) signed for {@code namespace} at {@code
   * signedAt} (milliseconds since the epoch).
   */
  public DesiredState sign(String namespace, DesiredState desired, long signedAt) {
    DesiredState unsigned = desired.unsigned();
    String value =
        Base64.getEncoder()
            .encodeToString(Ed25519.sign(key, SigningPayload.of(namespace, unsigned, signedAt)));
    return unsigned.withSignature(
        new DesiredSignature(DesiredSignature.ED25519, keyId, signedAt, value));
  }

  /** Whether {@code desired} carries a signature by this signer's key. */
  public boolean signedByThisKey(DesiredState desired) {
    return desired.signature() != null && keyId.equals(desired.signature().keyId());
  }
}
