package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.TestSigning;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.TestSigningKeys;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the operator retains on a desired topic carries its active key's signature, checked by a
 * subscriber as an agent checks it; after a key rotation, a state held under the old key is
 * published again under the new one, and nothing is sent twice for the same state and key.
 */
class DesiredPublisherSigningTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NS = "plant-a";
  private static final String DEVICE = "esp32-a4cf12e0b3d1";
  private static final String GATEWAY = "gw-1";

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<DesiredState> retained = new CopyOnWriteArrayList<>();
  private MosquittoBroker broker;
  private FleetIndex index;
  private DesiredPublisher publisher;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    resources.push(broker);
    MqttSession operator = session("operator");
    MqttSession agent = session("agent");
    agent.subscribe(Topic.desired(NS, GATEWAY, DEVICE).path(), this::received);
    operator.start();
    agent.start();
    await().atMost(WAIT).until(() -> operator.isConnected() && agent.isConnected());
    index = new FleetIndex(Clock.systemUTC());
    index.gatewayState(
        NS,
        io.fieldproof.protocol.GatewayState.birth(
            GATEWAY,
            1,
            "test",
            List.of(
                new io.fieldproof.protocol.DeviceInfo(
                    DEVICE,
                    "esp32",
                    "rt-1",
                    new io.fieldproof.protocol.Capabilities(List.of(), 1, 1),
                    java.util.Map.of())),
            0));
    publisher = new DesiredPublisher(operator, index, TestSigning.signing());
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void publishedStatesVerifyWithThePublicKey() {
    assertThat(publisher.update(NS, DEVICE, current -> state(1))).isTrue();

    await().atMost(WAIT).until(() -> retained.size() == 1);
    DesiredState received = retained.get(0);
    assertThat(TestSigning.verifier().check(NS, DEVICE, received)).isEmpty();
    assertThat(received.unsigned()).isEqualTo(state(1));
    assertThat(publisher.update(NS, DEVICE, current -> state(1)))
        .as("the same state under the same key is not sent again")
        .isFalse();
  }

  @Test
  void aStateHeldUnderTheOldKeyIsSignedAgainWithTheActiveOne() throws Exception {
    DesiredSigner oldKey =
        DesiredSigner.fromPem(Files.readString(TestSigningKeys.NEXT.privateKeyFile()));
    index.desired(NS, DEVICE, oldKey.sign(NS, state(3), 1));

    assertThat(publisher.update(NS, DEVICE, current -> current)).isTrue();

    await().atMost(WAIT).until(() -> retained.size() == 1);
    assertThat(TestSigning.verifier().check(NS, DEVICE, retained.get(0))).isEmpty();
    assertThat(retained.get(0).unsigned()).isEqualTo(state(3));
    assertThat(index.device(NS, DEVICE).map(DeviceEntry::desired).orElseThrow().signature())
        .isEqualTo(retained.get(0).signature());
    assertThat(publisher.update(NS, DEVICE, current -> current)).isFalse();
    assertThat(retained.get(0).signature().signedAt()).isGreaterThan(1);
  }

  private void received(String path, byte[] payload) {
    if (payload.length == 0) {
      return;
    }
    try {
      retained.add(MessageCodec.decodeDesired(Topic.parse(path).orElseThrow(), payload));
    } catch (InvalidMessageException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DesiredState state(long generation) {
    return new DesiredState(
        1, DEVICE, "pumps", generation, new RuntimeConfig(List.of(), null, null, null, 60), null);
  }

  private MqttSession session(String who) throws Exception {
    MqttSession session =
        new MqttSession(
            TestMqttSettings.anonymous(
                broker.uri(), who + "-" + System.nanoTime(), Duration.ofSeconds(10)),
            null,
            r -> {},
            scheduler);
    resources.push(session);
    return session;
  }
}
