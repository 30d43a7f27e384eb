package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceBootloaders;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model update end to end, as the operator drives it: the model is published as a retained
 * manifest and chunks, the desired state names it, and the agent fetches it over a real Mosquitto,
 * checks it and puts it on emulated devices: an ESP32 through its firmware (runtime v2, no reset)
 * and an STM32 with older firmware through its ROM bootloader (AN3155). The twins report every
 * phase, the outcome and the reason.
 */
class ModelUpdateEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String GATEWAY = "gw-updates";
  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  @TempDir Path stateDir;

  private final String namespace = "update-test-" + RUNS.incrementAndGet();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private MosquittoBroker broker;
  private MqttObserver operator;
  private DeviceEmulator esp;
  private DeviceEmulator stm;
  private EmulatorServer espServer;
  private EmulatorServer stmServer;
  private LineServer stmBootloader;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    byte[] first = fixture("dense_anomaly.tflite");
    esp =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(501)
            .activeModel("dense-anomaly", "1.0.0", first)
            .build();
    stm =
        DeviceEmulator.builder(Chip.STM32F4)
            .seed(502)
            .runtimeVersion(Hello.RUNTIME_V1)
            .activeModel("dense-anomaly", "1.0.0", first)
            .build();
    espServer = EmulatorServer.start(esp, 0);
    stmServer = EmulatorServer.start(stm, 0);
    stmBootloader =
        DeviceBootloaders.serve(
            stm, InetAddress.getLoopbackAddress(), 0, LineSettings.ideal().withBaud(460_800));
    operator = MqttObserver.connect(broker.uri(), namespace);
    resources.push(operator);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    espServer.close();
    stmServer.close();
    stmBootloader.close();
    broker.close();
  }

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(MODELS.resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }

  @Test
  void bothPathsFetchWriteCheckAndConfirmTheNewModel() throws Exception {
    byte[] next = fixture("logistic_temperature.tflite");
    ModelRef ref = operator.publishModel(next, "cold-room", "2.0.0");
    startAgent();
    SelfTest selfTest = GoldenVectors.selfTest(next, 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                operator
                    .lastState(GATEWAY)
                    .filter(birth -> birth.devices() != null && birth.devices().size() == 2)
                    .isPresent());
    int birthsBefore = operator.states(GATEWAY).size();

    desire(esp, ref, selfTest);
    desire(stm, ref, selfTest);

    for (DeviceEmulator device : List.of(esp, stm)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(operator.lastReported(device.deviceId()))
                      .get()
                      .satisfies(
                          twin -> {
                            assertThat(twin.phase()).isEqualTo("Confirmed");
                            assertThat(twin.lastError()).isNull();
                            assertThat(twin.slots().activeModel().sha256()).isEqualTo(sha(next));
                          }));
      assertThat(sha(device.slots().activeModel().orElseThrow())).isEqualTo(sha(next));
      int slot = device.slots().activeSlot().orElseThrow();
      assertThat(device.slots().record(slot).orElseThrow().state()).isEqualTo(SlotState.VALID);
    }
    // new slots are reported, not announced: a birth lists the whole gateway, so one per update
    // would make each update cost the gateway's size (issue 18)
    assertThat(operator.states(GATEWAY)).as("births after the updates").hasSize(birthsBefore);
    assertThat(phases(esp))
        .containsSubsequence(
            "Downloading",
            "Validating",
            "Writing",
            "Verifying",
            "SelfTesting",
            "Activating",
            "Trial",
            "Confirmed");
    assertThat(esp.resets()).as("the in-app path needs no reset").isZero();
    assertThat(stm.resets())
        .as("the bootloader path resets into the new model, then confirms it by its record")
        .isEqualTo(2);
    assertThat(stmBootloader.connections()).isGreaterThanOrEqualTo(2);
    assertThat(operator.events(esp.deviceId()))
        .extracting(DeviceEvent::reason)
        .contains("ModelConfirmed");
  }

  @Test
  void aSelfTestMismatchIsRevertedAndABadModelIsNeverFlashed() throws Exception {
    byte[] next = fixture("logistic_temperature.tflite");
    ModelRef good = operator.publishModel(next, "cold-room", "2.0.0");
    byte[] floatModel = fixture("float_model.tflite");
    ModelRef bad = operator.publishModel(floatModel, "float", "1.0.0");
    esp.skewSelfTests(5);
    long stmWritten = stm.flash().bytesWritten();
    startAgent();

    desire(esp, good, GoldenVectors.selfTest(next, 2));
    desire(stm, bad, null);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.lastReported(esp.deviceId()))
                    .get()
                    .satisfies(
                        twin -> {
                          assertThat(twin.phase()).isEqualTo("Reverted");
                          assertThat(twin.lastError()).startsWith("SelfTestMismatch");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.lastReported(stm.deviceId()))
                    .get()
                    .satisfies(
                        twin -> {
                          assertThat(twin.phase()).isEqualTo("Failed");
                          assertThat(twin.lastError()).startsWith("ModelRejected");
                        }));
    String first = sha(fixture("dense_anomaly.tflite"));
    assertThat(sha(esp.slots().activeModel().orElseThrow())).isEqualTo(first);
    assertThat(sha(stm.slots().activeModel().orElseThrow())).isEqualTo(first);
    assertThat(stm.flash().bytesWritten()).as("nothing was flashed").isEqualTo(stmWritten);
    assertThat(stmBootloader.connections()).isZero();
    assertThat(operator.events(esp.deviceId()))
        .extracting(DeviceEvent::reason)
        .contains("ModelReverted");
  }

  @Test
  void aRollbackReturnsToTheModelInTheOtherSlotWithoutFetchingIt() throws Exception {
    byte[] first = fixture("dense_anomaly.tflite");
    byte[] next = fixture("logistic_temperature.tflite");
    ModelRef ref = operator.publishModel(next, "cold-room", "2.0.0");
    ModelRef back = new ModelRef("dense-anomaly", "1.0.0", sha(first), first.length);
    startAgent();
    for (DeviceEmulator device : List.of(esp, stm)) {
      desire(device, ref, GoldenVectors.selfTest(next, 2), 1);
    }
    for (DeviceEmulator device : List.of(esp, stm)) {
      awaitConfirmed(device, next);
    }
    await().atMost(WAIT).until(() -> !stm.halted());

    for (DeviceEmulator device : List.of(esp, stm)) {
      desire(device, back, GoldenVectors.selfTest(first, 2), 2);
    }

    for (DeviceEmulator device : List.of(esp, stm)) {
      awaitConfirmed(device, first);
      assertThat(device.slots().activeSlot()).hasValue(ModelSlots.A);
    }
    assertThat(operator.events(esp.deviceId()))
        .extracting(DeviceEvent::message)
        .contains("dense-anomaly 1.0.0 confirmed by slot-switch");
    assertThat(operator.events(stm.deviceId()))
        .extracting(DeviceEvent::message)
        .contains("dense-anomaly 1.0.0 confirmed by bootloader-slot-switch");
    assertThat(esp.resets()).as("the in-app switch needs no reset").isZero();
  }

  /** The twin reports {@code model} confirmed, and the device runs it from a VALID record. */
  private void awaitConfirmed(DeviceEmulator device, byte[] model) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.lastReported(device.deviceId()))
                    .get()
                    .satisfies(
                        twin -> {
                          assertThat(twin.phase()).isEqualTo("Confirmed");
                          assertThat(twin.slots().activeModel().sha256()).isEqualTo(sha(model));
                        }));
    assertThat(sha(device.slots().activeModel().orElseThrow())).isEqualTo(sha(model));
  }

  private List<String> phases(DeviceEmulator device) {
    return operator.reported(device.deviceId()).stream().map(ReportedState::phase).toList();
  }

  private void desire(DeviceEmulator device, ModelRef model, SelfTest selfTest) {
    desire(device, model, selfTest, 1);
  }

  private void desire(DeviceEmulator device, ModelRef model, SelfTest selfTest, long generation) {
    RuntimeConfig config = ColdRoomConfig.reportingEvery(1);
    operator.publish(
        Topic.desired(namespace, GATEWAY, device.deviceId()).path(),
        new DesiredState(
            1, device.deviceId(), "cold-room", generation, config, model, selfTest, 1));
  }

  private void startAgent() throws IOException {
    AgentConfig config =
        TestAgents.config(
            GATEWAY,
            namespace,
            broker.uri(),
            stateDir,
            Duration.ofMillis(500),
            100,
            List.of(
                new AgentConfig.Device(espServer.uri(), "esp32", Map.of("site", "a")),
                new AgentConfig.Device(
                    stmServer.uri(), "stm32f4", Map.of("site", "a"), stmBootloader.uri())));
    AgentLaunch.overTcp(config, resources);
  }
}
