package io.fieldproof.agent.transfer;

/**
 * How far a fetch has come: the verified chunks held of the model's total. The total is 0 until the
 * manifest has arrived.
 */
public record FetchProgress(int held, int total) {

  static final FetchProgress AWAITING_MANIFEST = new FetchProgress(0, 0);

  /** Whether every chunk is held. */
  public boolean complete() {
    return total > 0 && held == total;
  }
}
