package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.protocol.DesiredSignature;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
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
 * An agent on a real Mosquitto acts only on desired states the operator signed for its namespace
 * and device: an unsigned one, one signed by an untrusted key, an altered one, and signed ones
 * replayed from another device's topic or another namespace never write a byte to the emulated
 * device (neither its config nor its model slots), nor does an older signed state of another group
 * replayed after a newer one, and each refusal is raised as an event with its reason, shown in the
 * twin's configError and counted. A key rotation trusts both keys while both are configured and the
 * old one no longer once it is removed.
 */
class SignedDesiredStateTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String GATEWAY = "gw-signed";
  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  @TempDir Path stateDir;

  private final String namespace = "signed-test-" + RUNS.incrementAndGet();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final DesiredSigner operatorKey = TestAgents.signer(TestSigningKeys.TEST);
  private final DesiredSigner nextKey = TestAgents.signer(TestSigningKeys.NEXT);
  private MosquittoBroker broker;
  private MqttObserver operator;
  private DeviceEmulator esp;
  private EmulatorServer espServer;
  private ModelRef model;
  private EdgeAgent agent;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    esp =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(701)
            .activeModel("dense-anomaly", "1.0.0", fixture("dense_anomaly.tflite"))
            .build();
    espServer = EmulatorServer.start(esp, 0);
    operator = MqttObserver.connect(broker.uri(), namespace);
    resources.push(operator);
    model = publishModel(fixture("logistic_temperature.tflite"));
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    espServer.close();
    broker.close();
  }

  @Test
  void unsignedWronglySignedAndReplayedStatesNeverReachTheDevice() throws Exception {
    startAgent(TestAgents.trust(TestSigningKeys.TEST));
    long written = esp.flash().bytesWritten();
    DesiredState wanted = wanted(esp.deviceId(), 1);
    DesiredState forOther = wanted("esp32-0000000000aa", 1);

    refused(wanted, "DesiredUnsigned", DropReason.UNSIGNED);
    refused(sign(nextKey, namespace, wanted), "SignatureUnknownKey", DropReason.UNKNOWN_KEY);
    DesiredSignature good = sign(operatorKey, namespace, wanted).signature();
    DesiredState otherModel =
        withModel(wanted, new ModelRef("x", "9", "ab".repeat(32), 1024)).withSignature(good);
    refused(otherModel, "SignatureInvalid", DropReason.BAD_SIGNATURE);
    DesiredState fromOtherNamespace = sign(operatorKey, "plant-b", wanted);
    refused(fromOtherNamespace, "SignatureInvalid", DropReason.BAD_SIGNATURE);
    DesiredState fromOtherDevice = sign(operatorKey, namespace, forOther);
    refused(fromOtherDevice, "DesiredMismatch", DropReason.IDENTITY_MISMATCH);

    assertThat(esp.flash().bytesWritten()).as("no byte written to the device").isEqualTo(written);
    assertThat(esp.appliedGeneration()).as("no config applied").isZero();
    assertThat(esp.stats().counter("configsApplied")).isZero();
    assertThat(esp.slots().activeModel().map(SignedDesiredStateTest::sha))
        .hasValue(sha(fixture("dense_anomaly.tflite")));
    assertThat(Files.exists(stateDir.resolve("models").resolve(model.sha256())))
        .as("the refused model was not even fetched")
        .isFalse();

    operator.publishAsIs(desiredTopic(), sign(operatorKey, namespace, wanted));

    awaitConfirmed();
    assertThat(operator.lastReported(esp.deviceId()).orElseThrow().configError()).isNull();
  }

  @Test
  void anOlderSignedStateReplayedFromAnotherGroupIsRefused() throws Exception {
    DesiredState fromOldGroup = sign(operatorKey, namespace, inGroup(wanted(esp.deviceId(), 5)));
    startAgent(TestAgents.trust(TestSigningKeys.TEST));
    operator.publishAsIs(desiredTopic(), sign(operatorKey, namespace, configOnly(2)));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 2);
    long written = esp.flash().bytesWritten();

    refused(fromOldGroup, "DesiredStale", DropReason.STALE);

    assertThat(esp.appliedGeneration()).isEqualTo(2);
    assertThat(esp.flash().bytesWritten()).as("no byte written to the device").isEqualTo(written);
    assertThat(Files.exists(stateDir.resolve("models").resolve(model.sha256()))).isFalse();
  }

  @Test
  void onlyAnAgentToldToAllowUnsignedStatesAppliesThem() throws Exception {
    startAgent(AgentConfig.Trust.anything());

    operator.publishAsIs(desiredTopic(), configOnly(1));

    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 1);
    assertThat(agent.drops().count(DropReason.UNSIGNED)).isZero();
  }

  @Test
  void rotationTrustsBothKeysWhileBothAreConfiguredAndTheOldOneNoMoreAfter() throws Exception {
    startAgent(TestAgents.trust(TestSigningKeys.TEST, TestSigningKeys.NEXT));
    operator.publishAsIs(desiredTopic(), sign(operatorKey, namespace, configOnly(1)));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 1);
    operator.publishAsIs(desiredTopic(), sign(nextKey, namespace, configOnly(2)));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 2);

    agent.close();
    startAgent(TestAgents.trust(TestSigningKeys.NEXT));
    refused(
        sign(operatorKey, namespace, configOnly(3)), "SignatureUnknownKey", DropReason.UNKNOWN_KEY);
    assertThat(esp.appliedGeneration()).isEqualTo(2);

    operator.publishAsIs(desiredTopic(), sign(nextKey, namespace, configOnly(4)));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 4);
  }

  private static DesiredState sign(DesiredSigner key, String namespace, DesiredState desired) {
    return key.sign(namespace, desired, TestAgents.signingTime());
  }

  /** Publishes {@code desired} and waits for the agent to refuse it for {@code reason}. */
  private void refused(DesiredState desired, String reason, DropReason drop) {
    long dropsBefore = agent.drops().count(drop);
    long eventsBefore = refusals(reason);
    operator.publishAsIs(desiredTopic(), desired);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(refusals(reason)).isGreaterThan(eventsBefore);
              assertThat(agent.drops().count(drop)).isGreaterThan(dropsBefore);
              assertThat(operator.lastReported(esp.deviceId()).orElseThrow().configError())
                  .startsWith(reason + ": ");
            });
  }

  private long refusals(String reason) {
    return operator.events(esp.deviceId()).stream()
        .filter(e -> e.kind().equals("desired"))
        .map(DeviceEvent::reason)
        .filter(reason::equals)
        .count();
  }

  private void awaitConfirmed() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.lastReported(esp.deviceId()))
                    .get()
                    .satisfies(
                        twin -> {
                          assertThat(twin.phase()).isEqualTo("Confirmed");
                          assertThat(twin.slots().activeModel().sha256()).isEqualTo(model.sha256());
                        }));
  }

  private DesiredState wanted(String device, long generation) {
    return withModel(configOnly(device, generation), model);
  }

  private DesiredState configOnly(long generation) {
    return configOnly(esp.deviceId(), generation);
  }

  private DesiredState configOnly(String device, long generation) {
    return ColdRoomConfig.configOnly(device, generation);
  }

  private static DesiredState inGroup(DesiredState s) {
    return new DesiredState(
        s.v(),
        s.device(),
        "old-group",
        s.generation(),
        s.config(),
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  private static DesiredState withModel(DesiredState s, ModelRef model) {
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        s.config(),
        model,
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  private String desiredTopic() {
    return Topic.desired(namespace, GATEWAY, esp.deviceId()).path();
  }

  private ModelRef publishModel(byte[] bytes) {
    return operator.publishModel(bytes, "cold-room", "2.0.0");
  }

  private void startAgent(AgentConfig.Trust trust) throws Exception {
    AgentConfig config =
        TestAgents.config(
            GATEWAY,
            namespace,
            broker.uri(),
            stateDir,
            Duration.ofMillis(500),
            100,
            List.of(new AgentConfig.Device(espServer.uri(), "esp32", Map.of("site", "a"))),
            trust);
    agent = AgentLaunch.overTcp(config, resources);
  }

  private static byte[] fixture(String name) throws java.io.IOException {
    return Files.readAllBytes(MODELS.resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }
}
