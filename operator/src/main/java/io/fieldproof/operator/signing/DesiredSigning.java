package io.fieldproof.operator.signing;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Signs every desired state the operator publishes with its active key, and tells whether one it
 * holds is signed by that key (after a rotation, those signed by the old key are published again).
 * Disabled, it publishes them unsigned.
 */
public final class DesiredSigning {

  private final DesiredSigner signer;
  private final Counter signed;

  private DesiredSigning(DesiredSigner signer, Counter signed) {
    this.signer = signer;
    this.signed = signed;
  }

  public static DesiredSigning with(DesiredSigner signer, MeterRegistry registry) {
    return new DesiredSigning(
        signer,
        Counter.builder("fieldproof_desired_signed_total")
            .description("Desired states signed for publication")
            .tag("key", signer.keyId())
            .register(registry));
  }

  /** Publishes desired states unsigned: agents that check signatures refuse them. */
  public static DesiredSigning disabled() {
    return new DesiredSigning(null, null);
  }

  /** The active key's id, or null when signing is off. */
  public String keyId() {
    return signer == null ? null : signer.keyId();
  }

  /** {@code desired} as it is published for {@code namespace}: signed by the active key. */
  public DesiredState sign(String namespace, DesiredState desired) {
    if (signer == null) {
      return desired.unsigned();
    }
    signed.increment();
    return signer.sign(namespace, desired);
  }

  /** Whether {@code desired} was signed as this operator signs now (by the active key, or not). */
  public boolean isCurrent(DesiredState desired) {
    return signer == null ? desired.signature() == null : signer.signedByThisKey(desired);
  }
}
