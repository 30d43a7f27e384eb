package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.capture.CaptureBudget;
import io.fieldproof.agent.capture.CaptureSink;
import io.fieldproof.agent.capture.CaptureWindowFormat;
import io.fieldproof.agent.capture.CapturedWindow;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.SensorScenario;
import io.fieldproof.device.emulator.TelemetryScheduler;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.protocol.CaptureHealth;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.testsupport.MosquittoBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture end to end: the desired state (over a real Mosquitto) gives emulated devices a capture
 * policy, the emulators' sensor scenarios make the device runtime freeze windows around a stuck
 * sensor, an alarm and drift, and the agent reads each with CAPTURE and hands it to the sink with
 * the metadata it knows and the documented body. A device of runtime v2 keeps working and is never
 * asked. The devices' capture counters and what the agent did with their windows reach the reported
 * health.
 */
class CaptureEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String GATEWAY = "gw-capture";
  private static final String INPUT = "temperature_c";

  @TempDir Path stateDir;

  private final String namespace = "capture-test-" + RUNS.incrementAndGet();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<CaptureEntry> captured = new CopyOnWriteArrayList<>();
  private MosquittoBroker broker;
  private MqttObserver operator;

  private record CaptureEntry(CapturedWindow window, CaptureBudget budget) {}

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    operator = MqttObserver.connect(broker.uri(), namespace);
    resources.push(operator);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    ticks.close();
    broker.close();
  }

  @Test
  void aStuckSensorAnAlarmAndDriftEachGiveAWindowWithItsMetadataAndSamples() throws Exception {
    DeviceEmulator stuck = emulator(601, Hello.RUNTIME_V3);
    DeviceEmulator alarming = emulator(602, Hello.RUNTIME_V3);
    DeviceEmulator drifting = emulator(603, Hello.RUNTIME_V3);
    DeviceEmulator older = emulator(604, Hello.RUNTIME_V2);
    startAgent(List.of(stuck, alarming, drifting, older));
    for (DeviceEmulator device : List.of(stuck, alarming, drifting, older)) {
      desire(device);
    }
    await()
        .atMost(WAIT)
        .until(() -> stuck.appliedGeneration() == 1 && older.appliedGeneration() == 1);
    // some clean readings first, so that the windows have readings before their trigger
    await().atMost(WAIT).until(() -> stuck.stats().readings() >= 12);

    stuck.setScenario(INPUT, SensorScenario.STUCK);
    alarming.setScenario(INPUT, SensorScenario.SPIKES);
    drifting.setScenario(INPUT, SensorScenario.OFFSET);
    older.setScenario(INPUT, SensorScenario.STUCK);

    CaptureEntry fault = awaitWindow(stuck, "sensorFault");
    CaptureEntry alarm = awaitWindow(alarming, "alarm");
    CaptureEntry drift = awaitWindow(drifting, "drift");

    CapturedWindow w = fault.window();
    assertThat(w.gateway()).isEqualTo(GATEWAY);
    assertThat(w.group()).isEqualTo("cold-room");
    assertThat(w.chip()).isEqualTo("esp32");
    assertThat(w.configGeneration()).isEqualTo(1);
    assertThat(w.contentType()).isEqualTo(CaptureWindowFormat.CONTENT_TYPE);
    assertThat(w.start()).isBeforeOrEqualTo(w.triggeredAt());
    assertThat(w.triggeredAt()).isBeforeOrEqualTo(w.end());
    assertThat(fault.budget()).isEqualTo(new CaptureBudget(4096, 65536));

    JsonNode body = new ObjectMapper().readTree(w.body());
    assertThat(body.get("format").asText()).isEqualTo(CaptureWindowFormat.FORMAT);
    assertThat(body.get("device").asText()).isEqualTo(stuck.deviceId());
    assertThat(body.get("trigger").asText()).isEqualTo("sensorFault");
    assertThat(body.get("inputs").get(0).asText()).isEqualTo(INPUT);
    int trigger = body.get("triggerIndex").asInt();
    assertThat(trigger).isEqualTo(5);
    assertThat(body.get("offsetMs")).hasSize(9);
    assertThat(body.get("offsetMs").get(trigger).asLong()).isZero();
    assertThat(body.get("offsetMs").get(0).asLong()).isNegative();
    assertThat(body.get("offsetMs").get(8).asLong()).isPositive();
    JsonNode verdicts = body.get("verdict").get(INPUT);
    assertThat(verdicts.get(trigger).asText()).isEqualTo("stuck");
    assertThat(verdicts.get(0).asText()).isEqualTo("ok");
    JsonNode raw = body.get("raw").get(INPUT);
    assertThat(raw).hasSize(9);
    // a stuck sensor repeats its last reading exactly: the window shows it frozen
    assertThat(raw.get(trigger).asDouble()).isEqualTo(raw.get(trigger + 1).asDouble());
    assertThat(body.get("normalized").get(INPUT).get(trigger).isNull()).isTrue();
    assertThat(body.get("normalized").get(INPUT).get(0).asDouble())
        .isCloseTo((raw.get(0).asDouble() - 4.0) / 2.0, org.assertj.core.data.Offset.offset(1e-4));

    JsonNode alarmBody = new ObjectMapper().readTree(alarm.window().body());
    int alarmAt = alarmBody.get("triggerIndex").asInt();
    assertThat(alarmBody.get("outcome").get(alarmAt).asText()).isEqualTo("alarm");
    assertThat(alarmBody.get("source").get(alarmAt).asText()).isEqualTo("rule");
    assertThat(alarmBody.get("raw").get(INPUT).get(alarmAt).asDouble()).isGreaterThan(15.0);

    JsonNode driftBody = new ObjectMapper().readTree(drift.window().body());
    assertThat(driftBody.get("trigger").asText()).isEqualTo("drift");

    // the v2 device was configured and stepped, but never asked for a window
    assertThat(older.stats().counters()).doesNotContainKey("capturePending");
    assertThat(captured).noneMatch(c -> c.window().device().equals(older.deviceId()));
  }

  @Test
  void theDevicesCaptureCountersAndTheAgentsDropsReachTheReportedHealth() throws Exception {
    DeviceEmulator stuck = emulator(611, Hello.RUNTIME_V3);
    DeviceEmulator quiet = emulator(612, Hello.RUNTIME_V3);
    // no captureStore in the config and no sink given: the agent keeps nothing (no_store)
    startAgent(List.of(stuck, quiet), null);
    desire(stuck);
    desire(quiet);
    await()
        .atMost(WAIT)
        .until(() -> stuck.appliedGeneration() == 1 && quiet.appliedGeneration() == 1);
    await().atMost(WAIT).until(() -> stuck.stats().readings() >= 12);

    stuck.setScenario(INPUT, SensorScenario.STUCK);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              CaptureHealth capture =
                  operator.lastReported(stuck.deviceId()).orElseThrow().health().capture();
              assertThat(capture).isNotNull();
              assertThat(capture.captures()).isPositive();
              assertThat(capture.windowsUploaded()).isZero();
              assertThat(capture.windowsDropped()).containsOnlyKeys("no_store");
              assertThat(capture.windowsDropped().get("no_store")).isPositive();
            });
    CaptureHealth quietCapture =
        operator.lastReported(quiet.deviceId()).orElseThrow().health().capture();
    assertThat(quietCapture).isEqualTo(new CaptureHealth(0L, 0L, 0L, Map.of()));
  }

  private CaptureEntry awaitWindow(DeviceEmulator device, String trigger) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                captured.stream()
                    .filter(c -> c.window().device().equals(device.deviceId()))
                    .filter(c -> c.window().trigger().equals(trigger))
                    .findFirst()
                    .orElse(null),
            entry -> entry != null);
  }

  private DeviceEmulator emulator(long seed, String runtime) throws Exception {
    DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(seed)
            .runtimeVersion(runtime)
            .telemetryIntervalMs(40)
            .build();
    EmulatorServer server = EmulatorServer.start(emulator, 0);
    resources.push(server);
    resources.push(ticks.schedule(emulator));
    servers.put(emulator.deviceId(), server);
    return emulator;
  }

  private final Map<String, EmulatorServer> servers = new java.util.HashMap<>();
  private final TelemetryScheduler ticks = new TelemetryScheduler(1);

  /**
   * A z-score input (mean 4, std 2) that sticks after 3 identical readings, an alarm rule past 15
   * (spikes reach 20 and more, the offset sensor reads 14), drift after 5 readings 3 deviations off
   * (the offset scenario reads 5 deviations off); a window of 5 readings before and 3 after.
   */
  private void desire(DeviceEmulator device) {
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(
                new RuntimeConfig.Input(
                    INPUT,
                    "C",
                    -40.0,
                    60.0,
                    null,
                    3,
                    new RuntimeConfig.Normalize("zscore", 4.0, 2.0))),
            new RuntimeConfig.Decision(0, 0.8, 1),
            new RuntimeConfig.Fallback(
                "rules",
                List.of(
                    new RuntimeConfig.Rule(
                        "hot",
                        "always",
                        List.of(new RuntimeConfig.Condition(INPUT, ">", 15.0)),
                        "alarm"))),
            new RuntimeConfig.Drift(20, 3.0, 5),
            1,
            new RuntimeConfig.Capture(5, 3, RuntimeConfig.Capture.TRIGGERS, 0, 4096, 65536));
    operator.publish(
        Topic.desired(namespace, GATEWAY, device.deviceId()).path(),
        new DesiredState(1, device.deviceId(), "cold-room", 1, config, null, null, 0));
  }

  private void startAgent(List<DeviceEmulator> devices) throws Exception {
    startAgent(devices, (window, budget) -> captured.add(new CaptureEntry(window, budget)));
  }

  private void startAgent(List<DeviceEmulator> devices, CaptureSink sink) throws Exception {
    AgentConfig config =
        TestAgents.config(
            GATEWAY,
            namespace,
            broker.uri(),
            stateDir,
            Duration.ofMillis(200),
            100,
            devices.stream()
                .map(
                    d ->
                        new AgentConfig.Device(
                            servers.get(d.deviceId()).uri(), "esp32", Map.of("site", "a")))
                .toList());
    EdgeAgent agent =
        new EdgeAgent(
            config,
            link -> DeviceLinks.open(link, Duration.ofSeconds(2)),
            Clock.systemUTC(),
            ChipBootloaders.defaults(),
            sink);
    resources.push(agent);
    agent.start();
  }
}
