package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.TestSigning;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sync publishes at most its budget of desired states and says that more are due; the next syncs
 * go on with the members still without theirs, until none is left and a sync publishes nothing.
 * Against a real Mosquitto, whose retained desired topics a subscriber counts.
 */
class DesiredStateSyncBudgetTest {

  private static final String NS = "plant-a";
  private static final int DEVICES = 25;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final FleetIndex index = new FleetIndex(Clock.systemUTC());
  private final AtomicInteger delivered = new AtomicInteger();
  private MosquittoBroker broker;
  private MqttSession operator;
  private MqttSession agent;
  private DesiredStateSync sync;
  private DeviceGroup group;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    operator = new MqttSession(settings("operator"), null, reconnect -> {}, scheduler);
    agent = new MqttSession(settings("agent"), null, reconnect -> {}, scheduler);
    agent.subscribe(
        Topic.filter(NS, "gw/+/dev/+/desired"), (topic, payload) -> delivered.incrementAndGet());
    operator.start();
    agent.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> operator.isConnected() && agent.isConnected());
    List<DeviceInfo> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      devices.add(
          new DeviceInfo(
              String.format("esp32-%012x", i),
              "esp32",
              "rt-1",
              new Capabilities(List.of(), 1, 1),
              Map.of("line", "3", "sensor", "vibration", DeviceInfo.CHIP_LABEL, "esp32")));
    }
    index.gatewayState(NS, GatewayState.birth("gw-1", 1, "test", devices, 0));
    sync =
        new DesiredStateSync(index, new DesiredPublisher(operator, index, TestSigning.signing()));
    try (InputStream in =
        Files.newInputStream(
            ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml"))) {
      group = Serialization.unmarshal(in, DeviceGroup.class);
    }
    group.getMetadata().setNamespace(NS);
    group.getMetadata().setGeneration(1L);
  }

  @AfterEach
  void stop() {
    agent.close();
    operator.close();
    broker.close();
    scheduler.shutdownNow();
  }

  @Test
  void aSyncPublishesAtMostItsBudgetAndTheNextOnesGoOnWithTheRest() {
    List<Member> members = new MembershipObserver(index).observe(group, List.of(group));
    assertThat(members).hasSize(DEVICES);

    assertThat(sync.sync(group, members, List.of(), 10))
        .isEqualTo(new DesiredStateSync.Outcome(10, true));
    assertThat(index.desiredCount()).isEqualTo(10);
    assertThat(sync.sync(group, members, List.of(), 10))
        .isEqualTo(new DesiredStateSync.Outcome(10, true));
    assertThat(sync.sync(group, members, List.of(), 10))
        .as("the last five, and nothing more due")
        .isEqualTo(new DesiredStateSync.Outcome(5, false));
    assertThat(sync.sync(group, members, List.of(), 10))
        .as("every member holds its desired state: nothing to publish")
        .isEqualTo(new DesiredStateSync.Outcome(0, false));

    assertThat(index.desiredCount()).isEqualTo(DEVICES);
    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.get() == DEVICES);
  }

  private MqttSettings settings(String clientId) {
    return TestMqttSettings.anonymous(broker.uri(), clientId, Duration.ofSeconds(30));
  }
}
