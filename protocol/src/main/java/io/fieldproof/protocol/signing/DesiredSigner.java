package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DesiredSignature;
import io.fieldproof.protocol.DesiredState;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
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
    try {
      Signature ed25519 = Signature.getInstance(DesiredSignature.ED25519);
      ed25519.initSign(key);
      ed25519.update(SigningPayload.of(namespace, unsigned, signedAt));
      String value = Base64.getEncoder().encodeToString(ed25519.sign());
      return unsigned.withSignature(
          new DesiredSignature(DesiredSignature.ED25519, keyId, signedAt, value));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /** Whether {@code desired} carries a signature by this signer's key. */
  public boolean signedByThisKey(DesiredState desired) {
    return desired.signature() != null && keyId.equals(desired.signature().keyId());
  }
}
