package io.fieldproof.operator.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelSpec;
import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a restarted operator does with the models an earlier run published: it republishes those its
 * rollouts still hold and retracts those none holds any more, without retracting a model whose
 * rollout it has not reconciled yet. Against a real Mosquitto, without Kubernetes: each operator
 * run is a fresh publisher on a fresh session.
 */
class ModelPublisherRestartTest {

  private static final String NS = "plant-a";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Map<ModelPublisher, BrokerManifests> brokerViews = new ConcurrentHashMap<>();
  private final byte[] modelX = bytes(5_000, 1);
  private final byte[] modelY = bytes(3_000, 2);
  private final String x = Sha256.hex(modelX);
  private final String y = Sha256.hex(modelY);
  private MosquittoBroker broker;

  @BeforeEach
  void start() {
    broker = MosquittoBroker.start();
    resources.push(broker);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void aRestartedOperatorRepublishesWhatItsRolloutsStillHold() throws Exception {
    ModelRollout r1 = rollout("r1", null);
    MqttSession firstRun = session();
    operatorRun(firstRun).hold(r1, modelX, List.of(r1));
    Retained retained = retained();
    await().atMost(WAIT).until(() -> retained.holdsModel(x, 5));
    firstRun.close();
    retained.clearHistory();

    ModelRollout validatedBefore = rollout("r1", x);
    operatorRun(session()).hold(validatedBefore, modelX, List.of(validatedBefore));

    await().atMost(WAIT).until(() -> retained.received(Topic.modelManifest(NS, x)) == 1);
    assertThat(retained.holdsModel(x, 5)).isTrue();
  }

  @Test
  void aModelChangedWhileTheOperatorWasDownIsRetractedOnceNothingHoldsIt() throws Exception {
    ModelRollout r1 = rollout("r1", null);
    ModelRollout r2 = rollout("r2", null);
    MqttSession firstRun = session();
    ModelPublisher first = operatorRun(firstRun);
    first.hold(r1, modelX, List.of(r1, r2));
    first.hold(r2, modelX, List.of(r1, r2));
    Retained retained = retained();
    await().atMost(WAIT).until(() -> retained.holdsModel(x, 5));
    firstRun.close();

    ModelRollout r1Changed = rollout("r1", x);
    ModelRollout r2NotYetSeen = rollout("r2", x);
    ModelPublisher second = operatorRun(session());
    await().atMost(WAIT).until(() -> brokerViews.get(second).in(NS).containsKey(x));

    second.hold(r1Changed, modelY, List.of(r1Changed, r2NotYetSeen));

    await().atMost(WAIT).until(() -> retained.holdsModel(y, 3));
    await()
        .alias("r2, not reconciled yet, still holds x")
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> retained.holdsModel(x, 5));

    ModelRollout r2Deleting = rollout("r2", x);
    r2Deleting.getMetadata().setDeletionTimestamp("2026-11-25T10:00:00Z");
    second.forget(r2Deleting, List.of(r1Changed, r2Deleting));

    await().atMost(WAIT).until(() -> retained.topicsOf(x).isEmpty());
    assertThat(retained.holdsModel(y, 3)).isTrue();
  }

  /** A publisher as one operator run makes it (see ModelTransferBeans), on its own session. */
  private ModelPublisher operatorRun(MqttSession session) {
    BrokerManifests view = new BrokerManifests(new InboundMetrics(new SimpleMeterRegistry()));
    session.subscribe(Topic.filter(NS, "models/+/manifest"), view::accept);
    ModelPublisher publisher =
        new ModelPublisher(
            new RetainedModels(session, new ModelTransferMetrics(new SimpleMeterRegistry()), 1024),
            view);
    brokerViews.put(publisher, view);
    return publisher;
  }

  private MqttSession session() throws IOException {
    MqttSession session = new MqttSession(settings(), null, reconnect -> {}, scheduler);
    session.start();
    await().atMost(WAIT).until(session::isConnected);
    resources.push(session);
    return session;
  }

  private Retained retained() throws IOException {
    return new Retained(session());
  }

  private static ModelRollout rollout(String name, String validatedSha256) {
    ModelRollout rollout = new ModelRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    ModelRolloutSpec spec = new ModelRolloutSpec();
    spec.model = new ModelSpec();
    spec.model.name = "m-" + name;
    spec.model.version = "1.0.0";
    rollout.setSpec(spec);
    if (validatedSha256 != null) {
      ModelRolloutStatus status = new ModelRolloutStatus();
      status.model = new ModelInspection();
      status.model.sha256 = validatedSha256;
      rollout.setStatus(status);
    }
    return rollout;
  }

  private MqttSettings settings() {
    return TestMqttSettings.anonymous(
        broker.uri(), "restart-test-" + System.nanoTime(), Duration.ofSeconds(10));
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A live subscriber to the namespace's model topics: what is retained, and what arrived. */
  private static final class Retained {
    private final Map<String, byte[]> byTopic = new ConcurrentHashMap<>();
    private final Map<String, Integer> arrivals = new ConcurrentHashMap<>();

    Retained(MqttSession session) {
      session.subscribe(Topic.filter(NS, "models/#"), this::accept);
    }

    private void accept(String topic, byte[] payload) {
      arrivals.merge(topic, 1, Integer::sum);
      if (payload.length == 0) {
        byTopic.remove(topic);
      } else {
        byTopic.put(topic, payload);
      }
    }

    /** The manifest and every chunk of the model are retained. */
    boolean holdsModel(String sha256, int chunks) {
      if (!byTopic.containsKey(Topic.modelManifest(NS, sha256).path())) {
        return false;
      }
      for (int i = 0; i < chunks; i++) {
        if (!byTopic.containsKey(Topic.modelChunk(NS, sha256, i).path())) {
          return false;
        }
      }
      return topicsOf(sha256).size() == chunks + 1;
    }

    List<String> topicsOf(String sha256) {
      return byTopic.keySet().stream().filter(t -> t.contains(sha256)).toList();
    }

    int received(Topic topic) {
      return arrivals.getOrDefault(topic.path(), 0);
    }

    void clearHistory() {
      arrivals.clear();
    }
  }
}
