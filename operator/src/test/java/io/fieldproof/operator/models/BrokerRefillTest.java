package io.fieldproof.operator.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelSpec;
import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.TestSigning;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.leader.Leadership;
import io.fieldproof.operator.mqtt.BrokerRefill;
import io.fieldproof.operator.mqtt.DesiredCapture;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.operator.mqtt.InboundRouter;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
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
 * The fault run's second finding: a broker that comes back without its retained messages (or with
 * an old copy of them) is refilled by the running operator with what it holds, the desired states
 * and the models, without an operator restart. A real Mosquitto, the operator's own session, index,
 * router and publishers wired as MqttBridge and ModelTransferBeans wire them.
 */
class BrokerRefillTest {

  private static final String NS = "plant-a";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final byte[] model = new byte[5_000];
  private MosquittoBroker broker;
  private FleetIndex index;
  private DesiredPublisher desired;
  private ModelPublisher models;
  private MqttSession session;

  @BeforeEach
  void operator() throws IOException {
    new Random(7).nextBytes(model);
    broker = MosquittoBroker.start();
    resources.push(broker);
    index = new FleetIndex(Clock.systemUTC());
    // desired states are published under the gateway that announces the device
    index.gatewayState(
        NS,
        io.fieldproof.protocol.GatewayState.birth(
            "gw-1",
            1,
            "test",
            java.util.stream.Stream.of("pump-1", "pump-2", "gone")
                .map(
                    id ->
                        new io.fieldproof.protocol.DeviceInfo(
                            id,
                            "esp32",
                            "rt-1",
                            new io.fieldproof.protocol.Capabilities(List.of(), 1, 1),
                            Map.of()))
                .toList(),
            0));
    DesiredCapture capture = new DesiredCapture();
    InboundMetrics metrics = new InboundMetrics(new SimpleMeterRegistry());
    InboundRouter router = new InboundRouter(index, metrics, capture);
    session = new MqttSession(settings("operator"), null, r -> {}, scheduler);
    resources.push(session);
    session.subscribe(Topic.filter(NS, "gw/+/dev/+/desired"), router::accept);
    BrokerManifests manifests = new BrokerManifests(metrics);
    session.subscribe(Topic.filter(NS, "models/+/manifest"), manifests::accept);
    desired = new DesiredPublisher(session, index, TestSigning.signing());
    models =
        new ModelPublisher(
            new RetainedModels(session, new ModelTransferMetrics(new SimpleMeterRegistry()), 1024),
            manifests);
    new BrokerRefill(
        session, capture, desired, models, new Leadership(), new SimpleMeterRegistry());
    session.start();
    await().atMost(WAIT).until(session::isConnected);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void aBrokerBackWithoutItsRetainedMessagesIsRefilled() throws Exception {
    desired.publish(NS, state("pump-1", 1));
    desired.publish(NS, state("pump-2", 1));
    ModelRollout rollout = rollout();
    models.hold(rollout, model, List.of(rollout));
    String sha = Sha256.hex(model);
    try (Observer before = observe()) {
      await().atMost(WAIT).until(() -> before.desired().size() == 2 && before.holdsModel(sha, 5));
    }

    broker.killAndForget();
    broker.startAgain();

    try (Observer after = observe()) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(after.desired())
                    .containsOnlyKeys("pump-1", "pump-2")
                    .containsEntry("pump-1", state("pump-1", 1));
                assertThat(after.holdsModel(sha, 5)).isTrue();
              });
    }
  }

  @Test
  void aBrokerBackWithAnOlderCopyGetsTheCurrentStatesAndLosesTheStaleOnes() throws Exception {
    desired.publish(NS, state("pump-1", 1));
    desired.publish(NS, state("gone", 1));
    try (Observer before = observe()) {
      await().atMost(WAIT).until(() -> before.desired().size() == 2);
    }
    broker.stop();
    Path old = Files.createTempFile("mosquitto-old", ".db");
    Files.copy(broker.persistenceFile(), old, StandardCopyOption.REPLACE_EXISTING);
    broker.startAgain();
    await().atMost(WAIT).until(() -> session.isConnected());
    desired.publish(NS, state("pump-1", 2));
    desired.retract(NS, "gone");
    try (Observer current = observe()) {
      await()
          .atMost(WAIT)
          .until(() -> current.desired().equals(Map.of("pump-1", state("pump-1", 2))));
    }

    broker.kill();
    Files.copy(old, broker.persistenceFile(), StandardCopyOption.REPLACE_EXISTING);
    broker.startAgain();

    try (Observer after = observe()) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(after.desired()).isEqualTo(Map.of("pump-1", state("pump-1", 2))));
    }
  }

  private static DesiredState state(String device, long generation) {
    return new DesiredState(
        1, device, "pumps", generation, new RuntimeConfig(List.of(), null, null, null, 60), null);
  }

  private static ModelRollout rollout() {
    ModelRollout rollout = new ModelRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("r1").build());
    ModelRolloutSpec spec = new ModelRolloutSpec();
    spec.model = new ModelSpec();
    spec.model.name = "pump";
    spec.model.version = "1.0.0";
    rollout.setSpec(spec);
    return rollout;
  }

  private Observer observe() throws IOException {
    return new Observer(new MqttSession(settings("observer"), null, r -> {}, scheduler));
  }

  private MqttSettings settings(String who) {
    return TestMqttSettings.anonymous(
        broker.uri(), who + "-" + System.nanoTime(), Duration.ofSeconds(10));
  }

  /** A fresh subscriber: what it holds is what the broker retains. */
  private static final class Observer implements AutoCloseable {
    private final MqttSession session;
    private final Map<String, DesiredState> desired = new ConcurrentHashMap<>();
    private final Map<String, byte[]> models = new ConcurrentHashMap<>();

    Observer(MqttSession session) {
      this.session = session;
      session.subscribe(Topic.filter(NS, "gw/+/dev/+/desired"), this::desired);
      session.subscribe(Topic.filter(NS, "models/#"), (t, p) -> models.put(t, p));
      session.start();
      await().atMost(WAIT).until(session::isConnected);
    }

    private void desired(String path, byte[] payload) {
      Topic topic = Topic.parse(path).orElseThrow();
      if (payload.length == 0) {
        desired.remove(topic.device());
        return;
      }
      try {
        DesiredState state = MessageCodec.decodeDesired(topic, payload);
        // kept as the operator asked it, if signed as an agent must find it, else as received
        boolean signed = TestSigning.verifier().check(NS, topic.device(), state).isEmpty();
        desired.put(topic.device(), signed ? state.unsigned() : state);
      } catch (InvalidMessageException e) {
        throw new IllegalStateException("the operator broke the contract", e);
      }
    }

    Map<String, DesiredState> desired() {
      return Map.copyOf(desired);
    }

    boolean holdsModel(String sha256, int chunks) {
      if (!models.containsKey(Topic.modelManifest(NS, sha256).path())) {
        return false;
      }
      for (int i = 0; i < chunks; i++) {
        if (!models.containsKey(Topic.modelChunk(NS, sha256, i).path())) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
