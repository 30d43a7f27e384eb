package io.fieldproof.protocol.mqtt;

/** Told when the session is up (births and subscriptions go here) and when it is lost. */
public interface SessionListener {

  void connected(boolean reconnect);

  default void connectionLost(Throwable cause) {}
}
