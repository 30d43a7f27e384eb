package io.fieldproof.agent;

import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.protocol.mqtt.SessionListener;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test client of the broker, as the operator would be: subscribes to everything of one namespace,
 * keeps every message in arrival order and decodes them with the contract's codec. It signs the
 * desired states it publishes with the test signing key, as the operator signs its own.
 */
final class MqttObserver implements AutoCloseable {

  private static final DesiredSigner SIGNER = TestAgents.signer(TestSigningKeys.TEST);

  private final String namespace;
  private final ScheduledExecutorService scheduler;
  private final MqttSession session;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connects = new AtomicInteger();

  private MqttObserver(String uri, String namespace, String clientId) throws IOException {
    this.namespace = namespace;
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "observer-" + clientId);
              thread.setDaemon(true);
              return thread;
            });
    MqttSettings settings = TestBrokerClients.settings(uri, clientId);
    SessionListener listener = reconnect -> connects.incrementAndGet();
    this.session = new MqttSession(settings, null, listener, scheduler);
    session.subscribe(
        Topic.filter(namespace, "#"),
        (topic, payload) -> received.add(new Received(topic, payload)));
  }

  /** Connects with a clean start and waits until it is subscribed. */
  static MqttObserver connect(String uri, String namespace) throws IOException {
    MqttObserver observer = new MqttObserver(uri, namespace, "observer-" + System.nanoTime());
    observer.session.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .alias("observer connected to " + uri)
        .until(() -> observer.connects.get() > 0);
    return observer;
  }

  /** How many times the session came up (and was subscribed). */
  int connects() {
    return connects.get();
  }

  boolean isConnected() {
    return session.isConnected();
  }

  void publish(String topic, byte[] payload, boolean retained) {
    session.publish(topic, payload, retained).orTimeout(10, TimeUnit.SECONDS).join();
  }

  void publish(String topic, Message message) {
    Message signed =
        message instanceof DesiredState desired && desired.signature() == null
            ? SIGNER.sign(
                Topic.parse(topic).orElseThrow().namespace(), desired, TestAgents.signingTime())
            : message;
    publish(topic, MessageCodec.encode(signed), true);
  }

  /**
   * Publishes {@code model} as the operator does, retained: its chunks of 1024 bytes, then its
   * manifest; returns the reference a desired state names it by.
   */
  ModelRef publishModel(byte[] model, String name, String version) {
    ModelChunks.Split split = ModelChunks.split(model, 1024, name, version);
    String sha = split.manifest().sha256();
    for (int i = 0; i < split.chunks().size(); i++) {
      publish(Topic.modelChunk(namespace, sha, i).path(), split.chunks().get(i), true);
    }
    publish(
        Topic.modelManifest(namespace, sha).path(), MessageCodec.encode(split.manifest()), true);
    return new ModelRef(name, version, sha, model.length);
  }

  /** Publishes {@code desired} as it is, signed or not. */
  void publishAsIs(String topic, DesiredState desired) {
    publish(topic, MessageCodec.encode(desired), true);
  }

  /** Every message received, topic and payload, in arrival order. */
  List<java.util.Map.Entry<String, byte[]>> inOrder() {
    return received.stream().map(r -> java.util.Map.entry(r.topic(), r.payload())).toList();
  }

  /** Every gateway state of {@code gateway} received, oldest first; an empty payload is skipped. */
  List<GatewayState> states(String gateway) {
    Topic topic = Topic.gatewayState(namespace, gateway);
    return payloads(topic).stream()
        .map(p -> decode(() -> MessageCodec.decodeGatewayState(topic, p)))
        .toList();
  }

  Optional<GatewayState> lastState(String gateway) {
    List<GatewayState> states = states(gateway);
    return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
  }

  /**
   * The gateway's state as the operator reads it: the highest birth sequence number wins, so a late
   * will of an older session never marks a newer one offline; within a session the later message
   * wins.
   */
  Optional<GatewayState> gatewayState(String gateway) {
    GatewayState current = null;
    for (GatewayState state : states(gateway)) {
      if (current == null || state.seq() >= current.seq()) {
        current = state;
      }
    }
    return Optional.ofNullable(current);
  }

  List<ReportedState> reported(String device) {
    return received.stream()
        .filter(r -> r.payload().length > 0)
        .filter(
            r ->
                Topic.parse(r.topic())
                    .filter(t -> t.kind() == TopicKind.REPORTED && device.equals(t.device()))
                    .isPresent())
        .map(
            r ->
                decode(
                    () ->
                        MessageCodec.decodeReported(
                            Topic.parse(r.topic()).orElseThrow(), r.payload())))
        .toList();
  }

  Optional<ReportedState> lastReported(String device) {
    List<ReportedState> reported = reported(device);
    return reported.isEmpty() ? Optional.empty() : Optional.of(reported.get(reported.size() - 1));
  }

  /** Every event of every device, in arrival order. */
  List<DeviceEvent> events() {
    return received.stream()
        .filter(r -> Topic.parse(r.topic()).filter(t -> t.kind() == TopicKind.EVENTS).isPresent())
        .map(
            r ->
                decode(
                    () ->
                        MessageCodec.decodeEvent(
                            Topic.parse(r.topic()).orElseThrow(), r.payload())))
        .toList();
  }

  List<DeviceEvent> events(String device) {
    return events().stream().filter(e -> e.device().equals(device)).toList();
  }

  @Override
  public void close() {
    session.close();
    scheduler.shutdownNow();
  }

  private List<byte[]> payloads(Topic topic) {
    String path = topic.path();
    return received.stream()
        .filter(r -> r.topic().equals(path) && r.payload().length > 0)
        .map(Received::payload)
        .toList();
  }

  private static <T> T decode(Decoder<T> decoder) {
    try {
      return decoder.decode();
    } catch (InvalidMessageException e) {
      throw new UncheckedIOException(new IOException("the agent broke the contract: " + e, e));
    }
  }

  @FunctionalInterface
  private interface Decoder<T> {
    T decode() throws InvalidMessageException;
  }

  private record Received(String topic, byte[] payload) {}
}
