package io.fieldproof.operator.models;

import static org.awaitility.Awaitility.await;

import io.fieldproof.operator.FleetTestResource;
import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A raw MQTT client of the test's broker that holds what the model topics of one namespace retain:
 * each topic's last payload, an empty one removing it.
 */
final class RetainedModelTopics implements AutoCloseable {

  private final String namespace;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, byte[]> byTopic = new ConcurrentHashMap<>();
  private final MqttSession session;

  private RetainedModelTopics(String namespace) throws IOException {
    this.namespace = namespace;
    session = new MqttSession(settings(), null, reconnect -> {}, scheduler);
    session.subscribe(Topic.filter(namespace, "models/#"), this::accept);
    session.start();
    await().atMost(Duration.ofSeconds(10)).until(session::isConnected);
  }

  /** A fresh subscriber: what it holds is what the broker retains. */
  static RetainedModelTopics subscribe(String namespace) throws IOException {
    return new RetainedModelTopics(namespace);
  }

  Optional<ModelManifest> manifest(String sha256) {
    Topic topic = Topic.modelManifest(namespace, sha256);
    byte[] payload = byTopic.get(topic.path());
    if (payload == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MessageCodec.decodeManifest(topic, payload));
    } catch (InvalidMessageException e) {
      throw new UncheckedIOException(new IOException("the operator broke the contract: " + e));
    }
  }

  Optional<byte[]> chunk(String sha256, int index) {
    return Optional.ofNullable(byTopic.get(Topic.modelChunk(namespace, sha256, index).path()));
  }

  /** Every retained topic of the namespace's models, in order. */
  TreeMap<String, byte[]> topics() {
    return new TreeMap<>(byTopic);
  }

  private void accept(String topic, byte[] payload) {
    if (payload.length == 0) {
      byTopic.remove(topic);
    } else {
      byTopic.put(topic, payload);
    }
  }

  @Override
  public void close() {
    session.close();
    scheduler.shutdownNow();
  }

  private static MqttSettings settings() {
    return TestMqttSettings.anonymous(
        FleetTestResource.broker().uri(),
        "models-test-" + System.nanoTime(),
        Duration.ofSeconds(10));
  }
}
