package io.fieldproof.protocol.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that the retained messages of a session's subscriptions have all been delivered: after
 * subscribing, the session publishes a fresh marker to a topic only it subscribes to. A broker
 * queues a client's messages in order, so when the marker comes back every retained message queued
 * before it has been handed to the handlers. Without the echo within the deadline, the listeners
 * are told so.
 */
final class RetainedBarrier {

  private static final Logger LOG = LoggerFactory.getLogger(RetainedBarrier.class);

  /** Topics outside the fleet contract's tree, one per client. */
  static final String PREFIX = "fieldproof/sync/";

  private static final long DEADLINE_SECONDS = 30;

  private final MqttSession session;
  private final String topic;
  private final List<RetainedListener> listeners;
  private final ScheduledExecutorService scheduler;
  private String expected;
  private boolean reconnect;
  private ScheduledFuture<?> timeout;

  RetainedBarrier(
      MqttSession session,
      String clientId,
      List<RetainedListener> listeners,
      ScheduledExecutorService scheduler) {
    this.session = session;
    this.topic = PREFIX + clientId.replaceAll("[^A-Za-z0-9._-]", "_");
    this.listeners = listeners;
    this.scheduler = scheduler;
  }

  String topic() {
    return topic;
  }

  /** Publishes a fresh marker; the listeners hear when it is back, or when the deadline passed. */
  synchronized void pass(boolean reconnect) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    String marker = UUID.randomUUID().toString();
    this.expected = marker;
    this.reconnect = reconnect;
    timeout = scheduler.schedule(() -> settle(marker, false), DEADLINE_SECONDS, TimeUnit.SECONDS);
    session
        .publish(topic, marker.getBytes(StandardCharsets.UTF_8), false)
        .exceptionally(
            e -> {
              LOG.debug("retained barrier marker not sent: {}", e.getMessage());
              return null;
            });
  }

  /** The marker came back, on Paho's callback thread: the listeners run on the scheduler. */
  void echoed(String ignoredTopic, byte[] payload) {
    String marker = new String(payload, StandardCharsets.UTF_8);
    scheduler.execute(() -> settle(marker, true));
  }

  private void settle(String marker, boolean complete) {
    boolean wasReconnect;
    synchronized (this) {
      if (expected == null || !expected.equals(marker)) {
        return;
      }
      expected = null;
      wasReconnect = reconnect;
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
    if (!complete) {
      LOG.warn("retained messages not proven delivered within {} s", DEADLINE_SECONDS);
    }
    for (RetainedListener listener : listeners) {
      try {
        listener.retainedDelivered(wasReconnect, complete);
      } catch (RuntimeException e) {
        LOG.warn("retained listener failed", e);
      }
    }
  }
}
