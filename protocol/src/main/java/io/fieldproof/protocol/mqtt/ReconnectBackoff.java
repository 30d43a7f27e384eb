package io.fieldproof.protocol.mqtt;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter between reconnect attempts: the n-th delay is a random value
 * between half and all of min(max, initial * 2^n), so that a fleet of gateways losing the same
 * broker does not come back in lockstep.
 */
public final class ReconnectBackoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private int attempt;

  public ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  public synchronized Duration nextDelay() {
    long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 30));
    attempt++;
    long jittered = (long) (ceiling * (0.5 + 0.5 * random.getAsDouble()));
    return Duration.ofMillis(Math.max(1, jittered));
  }

  public synchronized void reset() {
    attempt = 0;
  }

  public synchronized int attempts() {
    return attempt;
  }
}
