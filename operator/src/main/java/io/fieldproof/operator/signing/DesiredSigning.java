package io.fieldproof.operator.signing;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Signs every desired state the operator publishes with its active key, and tells whether one it
 * holds is signed by that key (after a rotation, those signed by the old key are published again).
 * Disabled, it publishes them unsigned.
 */
public final class DesiredSigning {

  private final DesiredSigner signer;
  private final Counter signed;
  private final Clock clock;

  private DesiredSigning(DesiredSigner signer, Counter signed, Clock clock) {
    this.signer = signer;
    this.signed = signed;
    this.clock = clock;
  }

  public static DesiredSigning with(DesiredSigner signer, MeterRegistry registry, Clock clock) {
    return new DesiredSigning(
        signer,
        Counter.builder("fieldproof_desired_signed_total")
            .description("Desired states signed for publication")
            .tag("key", signer.keyId())
            .register(registry),
        clock);
  }

  /** Publishes desired states unsigned: agents that check signatures refuse them. */
  public static DesiredSigning disabled() {
    return new DesiredSigning(null, null, null);
  }

  /**
   * {@code desired} as it is published for {@code namespace}: signed by the active key, later than
   * {@code previous} (the device's state published before, or null) even if the clock went back,
   * since agents refuse a state signed before one they accepted.
   */
  public DesiredState sign(String namespace, DesiredState desired, DesiredState previous) {
    if (signer == null) {
      return desired.unsigned();
    }
    signed.increment();
    return signer.sign(namespace, desired, Math.max(clock.millis(), after(previous)));
  }

  private static long after(DesiredState previous) {
    boolean timed =
        previous != null && previous.signature() != null && previous.signature().signedAt() != null;
    return timed ? previous.signature().signedAt() + 1 : 0;
  }

  /** Whether {@code desired} was signed as this operator signs now (by the active key, or not). */
  public boolean isCurrent(DesiredState desired) {
    return signer == null ? desired.signature() == null : signer.signedByThisKey(desired);
  }
}
