package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.TestSigning;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.MosquittoBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device's desired state is retained under the gateway that owns it, on a real Mosquitto: a later
 * claim by another gateway changes nothing, and when the owner stops announcing the device the
 * state moves to the gateway that still does, the copy under the former owner retracted.
 */
class DesiredStateMoveTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NS = "plant-a";
  private static final String DEVICE = "esp32-a4cf12e0b3d1";

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Map<String, String> retained = new ConcurrentHashMap<>();
  private MosquittoBroker broker;
  private MqttSession operator;
  private MqttSession watcher;
  private FleetIndex index;
  private DesiredPublisher publisher;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    operator = session("operator");
    watcher = session("watcher");
    watcher.subscribe(Topic.deviceFilter(NS, TopicKind.DESIRED), this::received);
    operator.start();
    watcher.start();
    await().atMost(WAIT).until(() -> operator.isConnected() && watcher.isConnected());
    index = new FleetIndex(Clock.systemUTC());
    publisher = new DesiredPublisher(operator, index, TestSigning.signing());
  }

  @AfterEach
  void stop() {
    operator.close();
    watcher.close();
    broker.close();
    scheduler.shutdownNow();
  }

  @Test
  void theFirstGatewayKeepsTheDeviceAndItsStateMovesOnlyWhenItLetsGo() {
    index.gatewayState(NS, birth("gw-1", 1, DEVICE));
    index.gatewayState(NS, birth("gw-2", 1, DEVICE));

    assertThat(publisher.update(NS, DEVICE, current -> state(1))).isTrue();
    await().atMost(WAIT).until(() -> retained.containsKey(path("gw-1")));
    assertThat(retained).containsOnlyKeys(path("gw-1"));
    assertThat(publisher.update(NS, DEVICE, current -> state(1))).isFalse();

    index.gatewayState(NS, birth("gw-1", 2));
    assertThat(publisher.update(NS, DEVICE, current -> state(1)))
        .as("the owner changed: the state moves")
        .isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(retained).containsOnlyKeys(path("gw-2")));
    assertThat(index.desiredGateway(NS, DEVICE)).contains("gw-2");

    publisher.retract(NS, DEVICE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(retained).isEmpty());
  }

  private static String path(String gateway) {
    return Topic.desired(NS, gateway, DEVICE).path();
  }

  private void received(String path, byte[] payload) {
    if (payload.length == 0) {
      retained.remove(path);
    } else {
      retained.put(path, new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static GatewayState birth(String gateway, long seq, String... ids) {
    return GatewayState.birth(
        gateway,
        seq,
        "test",
        java.util.Arrays.stream(ids)
            .map(
                id ->
                    new DeviceInfo(
                        id, "esp32", "rt-1", new Capabilities(List.of(), 1, 1), Map.of()))
            .toList(),
        0);
  }

  private static DesiredState state(long generation) {
    return new DesiredState(
        1, DEVICE, "pumps", generation, new RuntimeConfig(List.of(), null, null, null, 60), null);
  }

  private MqttSession session(String who) throws Exception {
    return new MqttSession(
        TestMqttSettings.anonymous(
            broker.uri(), who + "-" + System.nanoTime(), Duration.ofSeconds(10)),
        null,
        r -> {},
        scheduler);
  }
}
