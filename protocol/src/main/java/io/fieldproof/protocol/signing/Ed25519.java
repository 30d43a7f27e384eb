package io.fieldproof.protocol.signing;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;

/**
 * Ed25519 signatures (RFC 8032, pure Ed25519) through Bouncy Castle's arithmetic instead of the
 * JDK's provider. Ed25519 is deterministic, so both give the same signature byte for byte and each
 * verifies the other's; Bouncy Castle's takes about a tenth of the time, and a rollout signs one
 * desired state per device on the operator and verifies it on the agent (docs/benchmarks.md). The
 * keys stay JDK keys, read and written as before ({@link Ed25519Keys}).
 */
final class Ed25519 {

  static final int SIGNATURE_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;

  private Ed25519() {}

  /** The signature of {@code message} by {@code key} (an Ed25519 key with its seed). */
  static byte[] sign(PrivateKey key, byte[] message) {
    byte[] seed =
        ((EdECPrivateKey) key)
            .getBytes()
            .orElseThrow(() -> new IllegalArgumentException("the private key has no seed"));
    byte[] signature = new byte[SIGNATURE_BYTES];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code message}. */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    byte[] raw = Ed25519Keys.raw(key);
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature, 0, raw, 0, message, 0, message.length);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
