package io.fieldproof.protocol.mqtt;

/**
 * Told around the retained messages a session receives each time it comes up: {@link #subscribing}
 * before the subscriptions are made again, {@link #retainedDelivered} once every retained message
 * they match has been handed to the handlers. Between the two, what arrives is the broker's
 * retained state, which a holder of the truth can compare with its own and refill.
 */
public interface RetainedListener {

  /** The session is up and about to subscribe; {@code reconnect} is false for the first time. */
  void subscribing(boolean reconnect);

  /**
   * Every retained message of the subscriptions has been delivered; {@code complete} is false when
   * the session could not prove it within its deadline (the broker did not echo its marker).
   */
  void retainedDelivered(boolean reconnect, boolean complete);
}
