package io.fieldproof.agent.transfer;

import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.TestBrokerClients;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A broker client that retains model manifests and chunks as the operator does, and breaks them.
 */
final class OperatorSide implements AutoCloseable {

  private final String namespace;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final MqttSession session;

  private OperatorSide(String uri, String namespace) throws IOException {
    this.namespace = namespace;
    this.session = new MqttSession(settings(uri, "operator-side"), null, r -> {}, scheduler);
    session.start();
    await().atMost(Duration.ofSeconds(20)).until(session::isConnected);
  }

  static OperatorSide connect(String uri, String namespace) throws IOException {
    return new OperatorSide(uri, namespace);
  }

  /** A client session as an agent would hold it, started and connected. */
  static MqttSession agentSession(String uri, ScheduledExecutorService scheduler)
      throws IOException {
    MqttSession session = new MqttSession(settings(uri, "agent"), null, r -> {}, scheduler);
    session.start();
    await().atMost(Duration.ofSeconds(20)).until(session::isConnected);
    return session;
  }

  void manifest(ModelManifest manifest) {
    retain(Topic.modelManifest(namespace, manifest.sha256()), MessageCodec.encode(manifest));
  }

  void manifestPayload(String sha256, byte[] payload) {
    retain(Topic.modelManifest(namespace, sha256), payload);
  }

  void chunks(ModelChunks.Split split, int from, int to) {
    for (int i = from; i < to; i++) {
      chunk(split, i, split.chunks().get(i));
    }
  }

  void chunk(ModelChunks.Split split, int index, byte[] payload) {
    retain(Topic.modelChunk(namespace, split.manifest().sha256(), index), payload);
  }

  /** Publishes the whole model: chunks first, then the manifest. */
  void publish(ModelChunks.Split split) {
    chunks(split, 0, split.chunks().size());
    manifest(split.manifest());
  }

  void retractManifest(String sha256) {
    retain(Topic.modelManifest(namespace, sha256), new byte[0]);
  }

  private void retain(Topic topic, byte[] payload) {
    session.publish(topic.path(), payload, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    session.close();
    scheduler.shutdownNow();
  }

  private static MqttSettings settings(String uri, String role) {
    return TestBrokerClients.settings(uri, role + "-" + System.nanoTime());
  }
}
