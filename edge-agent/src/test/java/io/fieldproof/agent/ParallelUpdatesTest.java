package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway updates its devices on distinct links at once: each update holds its device through the
 * trial, so a fixed pool of two would keep the others waiting a trial each, and a gateway of a
 * hundred devices would need a hundred trials. Here every device of the gateway is on trial at the
 * same moment. Emulators attached in-process, a real Mosquitto.
 */
class ParallelUpdatesTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GATEWAY = "gw-parallel";
  private static final String NAMESPACE = "parallel-updates";
  private static final int DEVICES = 6;
  private static final int TRIAL_SECONDS = 6;
  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  @TempDir Path stateDir;

  private final List<DeviceEmulator> devices = new ArrayList<>();
  private MosquittoBroker broker;
  private MqttObserver operator;
  private EdgeAgent agent;

  @BeforeEach
  void start() throws IOException {
    broker = MosquittoBroker.start();
    operator = MqttObserver.connect(broker.uri(), NAMESPACE);
    byte[] first = Files.readAllBytes(MODELS.resolve("dense_anomaly.tflite"));
    IntStream.range(0, DEVICES)
        .forEach(
            i ->
                devices.add(
                    DeviceEmulator.builder(Chip.ESP32)
                        .seed(700 + i)
                        .activeModel("dense-anomaly", "1.0.0", first)
                        .build()));
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
  void devicesOnDistinctLinksAreOnTrialAtTheSameTime() throws Exception {
    byte[] next = Files.readAllBytes(MODELS.resolve("logistic_temperature.tflite"));
    ModelRef ref = operator.publishModel(next, "cold-room", "2.0.0");
    startAgent();
    await()
        .atMost(WAIT)
        .until(
            () -> devices.stream().allMatch(d -> operator.lastReported(d.deviceId()).isPresent()));

    devices.forEach(d -> desire(d, ref));

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .alias("all devices on trial at once")
        .until(() -> devices.stream().allMatch(ParallelUpdatesTest::onTrial));
    for (DeviceEmulator device : devices) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(operator.lastReported(device.deviceId()))
                      .get()
                      .satisfies(twin -> assertThat(twin.phase()).isEqualTo("Confirmed")));
      assertThat(sha(device.slots().activeModel().orElseThrow())).isEqualTo(ref.sha256());
    }
  }

  private static boolean onTrial(DeviceEmulator device) {
    ModelSlots slots = device.slots();
    return slots
        .activeSlot()
        .flatMap(slots::record)
        .map(r -> r.state() == SlotState.PENDING_VERIFY)
        .orElse(false);
  }

  private void startAgent() throws IOException {
    agent = AgentLaunch.inProcess(GATEWAY, NAMESPACE, broker.uri(), stateDir, devices, 41000);
  }

  private void desire(DeviceEmulator device, ModelRef model) {
    RuntimeConfig config = ColdRoomConfig.reportingEvery(1);
    operator.publish(
        Topic.desired(NAMESPACE, GATEWAY, device.deviceId()).path(),
        new DesiredState(
            1,
            device.deviceId(),
            "cold-room",
            1,
            config,
            model,
            new SelfTest(0, List.of()),
            TRIAL_SECONDS,
            1));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }
}
