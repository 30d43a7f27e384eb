package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DesiredSignature;
import io.fieldproof.protocol.DesiredState;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the operator's signature on a desired state against the public keys an agent trusts (two
 * at once while a key is rotated).
 */
public final class DesiredVerifier {

  private static final int SIGNATURE_BYTES = 64;

  private final Map<String, PublicKey> trusted = new LinkedHashMap<>();

  public DesiredVerifier(Collection<PublicKey> keys) {
    keys.forEach(key -> trusted.put(Ed25519Keys.keyId(key), key));
  }

  public Set<String> keyIds() {
    return trusted.keySet();
  }

  /**
   * Why {@code desired}, received on the desired topic of {@code device} in {@code namespace}, must
   * not be acted on; empty when its signature is good.
   */
  public Optional<Refusal> check(String namespace, String device, DesiredState desired) {
    if (!device.equals(desired.device())) {
      return refuse(
          Refusal.Reason.MISMATCH,
          "the state names device " + desired.device() + ", not " + device);
    }
    DesiredSignature signature = desired.signature();
    if (signature == null) {
      return refuse(Refusal.Reason.UNSIGNED, "the desired state carries no signature");
    }
    PublicKey key = signature.keyId() == null ? null : trusted.get(signature.keyId());
    if (key == null) {
      return refuse(
          Refusal.Reason.UNKNOWN_KEY,
          "signed by key " + signature.keyId() + ", trusted are " + trusted.keySet());
    }
    if (!DesiredSignature.ED25519.equals(signature.alg())
        || signature.signedAt() == null
        || !valid(namespace, desired, key)) {
      return refuse(
          Refusal.Reason.INVALID,
          "the signature by key "
              + signature.keyId()
              + " does not verify for generation "
              + desired.generation()
              + " of group "
              + desired.group()
              + " on "
              + namespace
              + "/"
              + device);
    }
    return Optional.empty();
  }

  private static boolean valid(String namespace, DesiredState desired, PublicKey key) {
    String encoded = desired.signature().value();
    if (encoded == null) {
      return false;
    }
    byte[] value;
    try {
      value = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (value.length != SIGNATURE_BYTES) {
      return false;
    }
    return Ed25519.verify(
        key,
        SigningPayload.of(namespace, desired.unsigned(), desired.signature().signedAt()),
        value);
  }

  private static Optional<Refusal> refuse(Refusal.Reason reason, String message) {
    return Optional.of(new Refusal(reason, message));
  }
}
