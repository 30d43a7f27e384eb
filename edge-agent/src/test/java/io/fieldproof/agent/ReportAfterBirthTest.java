package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No report of a device reaches the broker before a birth that lists the device: the operator drops
 * such a report (unknown_device), and the device's state is lost until its next report. A gateway
 * of many devices learns most of them after its first birth, each one's HELLO starting another
 * birth behind the one on its way; their first reports wait for it. Emulators in-process, a real
 * Mosquitto.
 */
class ReportAfterBirthTest {

  private static final String GATEWAY = "gw-births";
  private static final String NAMESPACE = "report-after-birth";
  private static final int DEVICES = 40;

  @TempDir Path stateDir;

  private final List<DeviceEmulator> devices = new ArrayList<>();
  private MosquittoBroker broker;
  private MqttObserver operator;
  private EdgeAgent agent;

  @BeforeEach
  void start() throws IOException {
    broker = MosquittoBroker.start();
    operator = MqttObserver.connect(broker.uri(), NAMESPACE);
    for (int i = 0; i < DEVICES; i++) {
      devices.add(DeviceEmulator.create(Chip.ESP32, 800 + i));
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    operator.close();
    devices.forEach(DeviceEmulator::close);
    broker.close();
  }

  @Test
  void everyReportFollowsABirthListingItsDevice() throws Exception {
    startAgent();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> devices.stream().allMatch(d -> operator.lastReported(d.deviceId()).isPresent()));

    Set<String> announced = new HashSet<>();
    List<String> early = new ArrayList<>();
    for (Map.Entry<String, byte[]> message : operator.inOrder()) {
      Topic topic = Topic.parse(message.getKey()).orElseThrow();
      if (topic.kind() == TopicKind.GATEWAY_STATE && message.getValue().length > 0) {
        GatewayState state = MessageCodec.decodeGatewayState(topic, message.getValue());
        if (state.devices() != null) {
          state.devices().stream().map(DeviceInfo::id).forEach(announced::add);
        }
      } else if (topic.kind() == TopicKind.REPORTED && !announced.contains(topic.device())) {
        early.add(topic.device());
      }
    }
    assertThat(early).as("devices reported before a birth listed them").isEmpty();
    assertThat(announced).hasSize(DEVICES);
  }

  private void startAgent() throws IOException {
    agent = AgentLaunch.inProcess(GATEWAY, NAMESPACE, broker.uri(), stateDir, devices, 42000);
  }
}
