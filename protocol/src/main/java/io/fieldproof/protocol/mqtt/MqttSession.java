package io.fieldproof.protocol.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 client session with a broker, kept up: connects, reconnects with backoff and jitter
 * after any loss, sets a fresh will on every attempt, re-subscribes, and tells its listener when
 * the session is up so it can publish its birth. Publishing is QoS 1. Handlers never throw into
 * Paho: an exception in one is logged and the session goes on.
 *
 * <p>Received messages are handled in order on a thread of the session's own ({@code
 * mqtt-inbound-{client id}}), not on Paho's: Paho reads the next packet only once its callback
 * thread took the last one, so a slow handler under a flood (100 000 retained reports) kept it from
 * reading the broker's PINGRESP in time and the session was dropped as dead. A QoS 1 message is
 * acknowledged once its handler returned, so at most {@link #RECEIVE_MAXIMUM} wait for a handler
 * and a message is never acknowledged before it was handled.
 */
public final class MqttSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

  /** Unacknowledged QoS 1 publishes at once, below Mosquitto's default limit of 20. */
  public static final int MAX_IN_FLIGHT = 16;

  /** QoS 1 messages the broker may send before this client acknowledged them. */
  public static final int RECEIVE_MAXIMUM = 1000;

  /** How long a connection attempt may take, the TCP connect and the broker's CONNACK each. */
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final MqttSettings settings;
  private final Supplier<Will> will;
  private final SessionListener listener;
  private final ScheduledExecutorService scheduler;
  private final ConnectLoop loop;
  private final RetainedBarrier barrier;
  private final List<RetainedListener> retainedListeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger ups = new AtomicInteger();
  private final Map<String, BiConsumer<String, byte[]>> subscriptions =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
  private final MqttAsyncClient client;
  private final ConnectDiagnosis diagnosis;
  private final java.util.ArrayDeque<QueuedPublish> queued = new java.util.ArrayDeque<>();
  private final java.util.concurrent.ExecutorService inbound;
  private int inFlight;
  private final ReentrantLock sending = new ReentrantLock();

  public MqttSession(
      MqttSettings settings,
      Supplier<Will> will,
      SessionListener listener,
      ScheduledExecutorService scheduler)
      throws IOException {
    this.settings = settings;
    this.will = will;
    this.listener = listener;
    this.scheduler = scheduler;
    if (settings.customTls()) {
      // unreadable or mismatched certificate files fail here, before anything connects; they are
      // read again on each attempt, so a renewed certificate is picked up on the next reconnect
      TlsSocketFactories.create(settings);
    }
    this.diagnosis = new ConnectDiagnosis(settings);
    try {
      MqttClientPersistence persistence =
          settings.persistenceDir() == null
              ? new MemoryPersistence()
              : new MqttDefaultFilePersistence(settings.persistenceDir().toString());
      this.client = new MqttAsyncClient(settings.uri(), settings.clientId(), persistence);
    } catch (MqttException e) {
      throw new IOException(
          "cannot create an MQTT client for " + settings.uri() + ": " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
    client.setManualAcks(true);
    this.inbound =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-inbound-" + settings.clientId());
              t.setDaemon(true);
              return t;
            });
    this.loop =
        new ConnectLoop(
            settings.uri(),
            diagnosis.around(this::connect),
            client::isConnected,
            this::dropConnection,
            scheduler,
            new ReconnectBackoff(
                settings.initialReconnectDelay(),
                settings.maxReconnectDelay(),
                () -> ThreadLocalRandom.current().nextDouble()),
            Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS));
    this.barrier = new RetainedBarrier(this, settings.clientId(), retainedListeners, scheduler);
  }

  /**
   * Adds a listener told about the retained messages each time the session comes up. With one or
   * more, the session proves their delivery by a marker it publishes to itself after subscribing.
   */
  public void addRetainedListener(RetainedListener retainedListener) {
    if (retainedListeners.isEmpty()) {
      subscribe(barrier.topic(), barrier::echoed);
    }
    retainedListeners.add(retainedListener);
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    loop.start();
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /**
   * Why the last connection attempt failed at the TLS layer, in words (wrong CA, wrong host name,
   * client certificate refused, TLS and plain TCP mixed up); empty once connected.
   */
  public java.util.Optional<String> tlsProblem() {
    return diagnosis.problem();
  }

  /** Subscribes now if connected, and again after every reconnect. */
  public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
    subscriptions.put(filter, handler);
    if (client.isConnected()) {
      subscribeNow(filter);
    }
  }

  public void unsubscribe(String filter) {
    subscriptions.remove(filter);
    if (client.isConnected()) {
      try {
        client.unsubscribe(filter);
      } catch (MqttException e) {
        LOG.debug("unsubscribe {} failed: {}", filter, e.getMessage());
      }
    }
  }

  /**
   * Publishes at QoS 1; the future completes when the broker acknowledged the message. At most
   * {@link #MAX_IN_FLIGHT} messages are unacknowledged at once (brokers limit it too, Mosquitto to
   * 20 by default); the rest wait in order, so a burst of thousands of desired states is paced, not
   * refused.
   */
  public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!client.isConnected()) {
      done.completeExceptionally(new IOException("not connected to " + settings.uri()));
      return done;
    }
    QueuedPublish next =
        new QueuedPublish(topic, new MqttMessage(payload, 1, retained, new MqttProperties()), done);
    synchronized (queued) {
      queued.add(next);
    }
    drain();
    return done;
  }

  /** Publishes waiting for an in-flight slot (not yet handed to the client). */
  public int queued() {
    synchronized (queued) {
      return queued.size();
    }
  }

  /**
   * Hands waiting publishes to Paho, in the order they were made. One thread at a time does it (a
   * caller's, or the scheduler's after an acknowledgement): two threads each taking the next
   * message and publishing it could hand them to Paho swapped, and the broker would keep the older
   * of two retained messages of one topic. A thread that finds another sending leaves the work to
   * it; the sender looks again after it lets go, so nothing is left behind.
   */
  private void drain() {
    while (sendable()) {
      if (!sending.tryLock()) {
        return;
      }
      try {
        sendWhileRoom();
      } finally {
        sending.unlock();
      }
    }
  }

  private void sendWhileRoom() {
    while (true) {
      QueuedPublish next;
      synchronized (queued) {
        if (inFlight >= MAX_IN_FLIGHT || queued.isEmpty()) {
          return;
        }
        next = queued.poll();
        inFlight++;
      }
      next.done().whenComplete((ok, error) -> released());
      try {
        client.publish(next.topic(), next.message(), null, new Completion(next.done()));
      } catch (MqttException | RuntimeException e) {
        next.done().completeExceptionally(e);
      }
    }
  }

  private boolean sendable() {
    synchronized (queued) {
      return inFlight < MAX_IN_FLIGHT && !queued.isEmpty();
    }
  }

  /**
   * An acknowledgement freed a slot. It comes on Paho's callback thread, which must not publish:
   * with Paho's queues full the publish waits for that same thread, so the next publish goes out
   * from the scheduler.
   */
  private void released() {
    synchronized (queued) {
      inFlight = Math.max(0, inFlight - 1);
    }
    try {
      scheduler.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      failQueued();
    }
  }

  /** The session is gone: what waited for a slot fails now, so callers can keep it for later. */
  private void failQueued() {
    List<QueuedPublish> failed;
    synchronized (queued) {
      failed = new ArrayList<>(queued);
      queued.clear();
      inFlight = 0;
    }
    failed.forEach(
        q -> q.done().completeExceptionally(new IOException("connection lost before sending")));
  }

  /** A publish waiting for an in-flight slot. */
  private record QueuedPublish(String topic, MqttMessage message, CompletableFuture<Void> done) {}

  /** Clears a retained message: an empty retained payload on its topic. */
  public CompletableFuture<Void> clearRetained(String topic) {
    return publish(topic, new byte[0], true);
  }

  /** Leaves without the DISCONNECT packet, as a crash would: the broker publishes the will. */
  public void dropWithoutGoodbye() {
    loop.stop();
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.debug("forced disconnect: {}", e.getMessage());
    }
  }

  /** Disconnects cleanly (the will is not published) and releases the client. */
  @Override
  public void close() {
    loop.stop();
    try {
      if (client.isConnected()) {
        client.disconnect(2000).waitForCompletion(3000);
      }
    } catch (MqttException e) {
      LOG.debug("disconnect: {}", e.getMessage());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("close: {}", e.getMessage());
    }
    inbound.shutdownNow();
  }

  /** Starts one connection attempt; the loop hears of its outcome through the handle. */
  private void connect(ConnectLoop.Attempt attempt) throws MqttException, IOException {
    client.connect(
        options(),
        null,
        new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            attempt.succeeded();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable cause) {
            attempt.failed(cause);
          }
        });
  }

  /** Drops whatever connection or attempt the client holds, without a DISCONNECT packet. */
  private void dropConnection() {
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.debug("dropping the unanswered connection: {}", e.getMessage());
    }
  }

  private MqttConnectionOptions options() throws IOException {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(settings.cleanStart());
    options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
    options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    options.setAutomaticReconnect(false);
    options.setReceiveMaximum(RECEIVE_MAXIMUM);
    options.setMaximumPacketSize((long) settings.maximumPacketSize());
    options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(new String(settings.password()).getBytes(StandardCharsets.UTF_8));
    }
    if (settings.uri().startsWith("tcp://")) {
      options.setSocketFactory(new PlainSocketFactory());
    } else if (settings.customTls()) {
      options.setSocketFactory(TlsSocketFactories.create(settings));
    }
    options.setHttpsHostnameVerificationEnabled(settings.verifyHostname());
    Will next = will == null ? null : will.get();
    if (next != null) {
      MqttMessage message = new MqttMessage(next.payload(), 1, true, new MqttProperties());
      options.setWill(next.topic(), message);
    }
    return options;
  }

  /**
   * Subscribes and waits for the acknowledgement. Messages reach handlers through the client
   * callback, matched by filter: Paho 1.2.5 fails on per-subscription listeners when no
   * subscription identifier is set.
   */
  private void subscribeNow(String filter) {
    try {
      client.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(10_000);
    } catch (MqttException | RuntimeException e) {
      LOG.warn("subscribe {} failed: {}", filter, e.toString());
    }
  }

  /**
   * Subscribes in the order the filters were added, each after the previous one was acknowledged,
   * so the retained messages of the first (gateway births) arrive before those of the next (device
   * reports). Runs on the scheduler, never on Paho's callback thread.
   */
  private void subscribeAllInOrder(boolean reconnect) {
    retainedListeners.forEach(l -> safely(() -> l.subscribing(reconnect)));
    List<String> filters;
    synchronized (subscriptions) {
      filters = new ArrayList<>(subscriptions.keySet());
    }
    filters.forEach(this::subscribeNow);
    safely(() -> listener.connected(reconnect));
    if (!retainedListeners.isEmpty()) {
      barrier.pass(reconnect);
    }
  }

  private void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("session listener failed", e);
    }
  }

  private void deliver(String filter, String topic, MqttMessage message) {
    BiConsumer<String, byte[]> handler = subscriptions.get(filter);
    if (handler == null) {
      return;
    }
    try {
      handler.accept(topic, message.getPayload());
    } catch (RuntimeException e) {
      LOG.warn("handler for {} failed on {}: {}", filter, topic, e.toString());
    }
  }

  /** A shared subscription's filter without its "$share/group/" prefix. */
  static String withoutShare(String filter) {
    if (!filter.startsWith("$share/")) {
      return filter;
    }
    int slash = filter.indexOf('/', "$share/".length());
    return slash < 0 ? filter : filter.substring(slash + 1);
  }

  /** Bridges Paho's callbacks to the listener and the reconnect loop. */
  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      LOG.info("MQTT session to {} lost: {}", settings.uri(), response.getReasonString());
      failQueued();
      safely(() -> listener.connectionLost(response.getException()));
      loop.lost(
          response.getException() == null
              ? new IOException("disconnected")
              : response.getException());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("MQTT error: {}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      int connection = ups.get();
      try {
        inbound.execute(() -> handle(topic, message, connection));
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        LOG.debug("session closed: {} not handled", topic);
      }
    }

    /** Hands the message to the handlers, then acknowledges it on the connection it came on. */
    private void handle(String topic, MqttMessage message, int connection) {
      try {
        dispatch(topic, message);
      } finally {
        if (message.getQos() > 0 && connection == ups.get() && client.isConnected()) {
          try {
            client.messageArrivedComplete(message.getId(), message.getQos());
          } catch (MqttException | RuntimeException e) {
            LOG.debug("acknowledging {} failed: {}", topic, e.getMessage());
          }
        }
      }
    }

    private void dispatch(String topic, MqttMessage message) {
      List<String> filters;
      synchronized (subscriptions) {
        filters = new ArrayList<>(subscriptions.keySet());
      }
      filters.forEach(
          filter -> {
            if (org.eclipse.paho.mqttv5.common.util.MqttTopicValidator.isMatched(
                withoutShare(filter), topic)) {
              deliver(filter, topic, message);
            }
          });
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      LOG.info("MQTT session to {} up", serverUri);
      boolean again = ups.getAndIncrement() > 0;
      scheduler.execute(() -> subscribeAllInOrder(again));
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  /** Completes a future from a Paho token. */
  private static final class Completion implements MqttActionListener {
    private final CompletableFuture<Void> done;

    Completion(CompletableFuture<Void> done) {
      this.done = done;
    }

    @Override
    public void onSuccess(IMqttToken token) {
      done.complete(null);
    }

    @Override
    public void onFailure(IMqttToken token, Throwable cause) {
      done.completeExceptionally(cause);
    }
  }
}
