package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.state.FolderFaults;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge agent against a real Mosquitto and two device emulators over TCP, observed from the
 * broker as the operator sees it.
 */
class EdgeAgentTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration RARELY = Duration.ofHours(1);
  private static final Duration OFTEN = Duration.ofMillis(200);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String GATEWAY = "gw-line-3";

  @TempDir Path stateDir;

  private final String namespace = "agent-test-" + RUNS.incrementAndGet();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private MosquittoBroker broker;
  private DeviceEmulator esp;
  private DeviceEmulator stm;
  private EmulatorServer espServer;
  private EmulatorServer stmServer;
  private int espPort;
  private int stmPort;

  @BeforeEach
  void start() throws IOException {
    broker = MosquittoBroker.start();
    esp = DeviceEmulator.create(Chip.ESP32, 101);
    stm = DeviceEmulator.create(Chip.STM32F4, 202);
    espServer = EmulatorServer.start(esp, 0);
    stmServer = EmulatorServer.start(stm, 0);
    espPort = espServer.port();
    stmPort = stmServer.port();
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    espServer.close();
    stmServer.close();
    broker.close();
  }

  @Test
  void theBirthListsBothDevicesAndTheTwinsAreRetained() throws IOException {
    MqttObserver live = observer();

    startAgent(RARELY, 100);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(live.lastState(GATEWAY)).get().satisfies(this::isOnlineWithBothDevices);
              assertThat(live.lastReported(esp.deviceId()))
                  .get()
                  .extracting(ReportedState::link)
                  .isEqualTo(ReportedState.Link.CONNECTED);
              assertThat(live.lastReported(stm.deviceId()))
                  .get()
                  .extracting(ReportedState::link)
                  .isEqualTo(ReportedState.Link.CONNECTED);
            });
    GatewayState birth = live.lastState(GATEWAY).orElseThrow();
    assertThat(birth.seq()).isGreaterThanOrEqualTo(1);
    assertThat(birth.agentVersion()).isEqualTo(EdgeAgent.VERSION);
    assertThat(birth.eventsDropped()).isZero();
    assertThat(birth.devices())
        .filteredOn(d -> d.id().equals(esp.deviceId()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.chip()).isEqualTo("esp32");
              assertThat(d.firmware()).isEqualTo(Chip.Family.ESP32.defaultFirmware());
              assertThat(d.capabilities()).isEqualTo(capabilities(Chip.ESP32));
              assertThat(d.labels())
                  .containsExactlyInAnyOrderEntriesOf(Map.of("site", "plant-1", "line", "3"));
            });
    assertThat(birth.devices())
        .filteredOn(d -> d.id().equals(stm.deviceId()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.chip()).isEqualTo("stm32f4");
              assertThat(d.capabilities()).isEqualTo(capabilities(Chip.STM32F4));
              assertThat(d.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("site", "plant-1"));
            });

    // nothing is published after this point (the report interval is an hour), so whatever a new
    // subscriber gets was retained
    MqttObserver late = observer();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(late.states(GATEWAY)).containsExactly(birth);
              for (DeviceEmulator device : List.of(esp, stm)) {
                assertThat(late.reported(device.deviceId()))
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.gateway()).isEqualTo(GATEWAY);
                          assertThat(r.link()).isEqualTo(ReportedState.Link.CONNECTED);
                          assertThat(r.observedGeneration()).isZero();
                          assertThat(r.health()).isNotNull();
                        });
              }
            });
    assertThat(late.events()).isEmpty();
  }

  @Test
  void aDesiredConfigIsAppliedOnceAndItsGenerationReported() throws IOException {
    MqttObserver observer = observer();
    startAgent(RARELY, 100);
    awaitConnected(observer, esp);
    DesiredState desired = desired(esp, 3, "accel_rms", "temperature_c");

    observer.publish(desiredTopic(esp), desired);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(esp.appliedGeneration()).isEqualTo(3);
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.observedGeneration()).isEqualTo(3);
                        assertThat(r.configError()).isNull();
                      });
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("ConfigApplied");
            });
    assertThat(esp.config().orElseThrow().path("inputs").findValuesAsText("name"))
        .containsExactly("accel_rms", "temperature_c");
    assertThat(stm.appliedGeneration()).isZero();
    int reportsBefore = observer.reported(esp.deviceId()).size();

    observer.publish(desiredTopic(esp), desired);

    // the agent answers a desired state it already applied with a report, and nothing else
    await().atMost(WAIT).until(() -> observer.reported(esp.deviceId()).size() > reportsBefore);
    assertThat(esp.appliedGeneration()).isEqualTo(3);
    assertThat(esp.stats().counter("configsApplied")).isEqualTo(1);
    assertThat(observer.lastReported(esp.deviceId()).orElseThrow().observedGeneration())
        .isEqualTo(3);
    assertThat(observer.events(esp.deviceId()))
        .extracting(DeviceEvent::reason)
        .containsExactly("ConfigApplied");
  }

  @Test
  void badDesiredPayloadsAreDroppedAndCountedAndALaterValidOneApplies() throws IOException {
    MqttObserver observer = observer();
    EdgeAgent agent = startAgent(RARELY, 100);
    awaitConnected(observer, esp);
    String topic = desiredTopic(esp);

    observer.publish(topic, "{\"v\":1,\"device\":".getBytes(StandardCharsets.UTF_8), true);
    awaitDrops(agent, DropReason.MALFORMED_JSON, 1);
    DesiredState valid = desired(esp, 2, "accel_rms");
    observer.publish(topic, new DesiredState(2, esp.deviceId(), "g", 2, valid.config(), null));
    awaitDrops(agent, DropReason.WRONG_SCHEMA_VERSION, 1);
    observer.publish(topic, desired(stm, 2, "accel_rms"));
    awaitDrops(agent, DropReason.IDENTITY_MISMATCH, 1);
    observer.publish(
        topic, new DesiredState(Message.VERSION, esp.deviceId(), "g", 0, valid.config(), null));
    awaitDrops(agent, DropReason.INVALID_FIELD, 1);
    assertThat(esp.appliedGeneration()).isZero();

    observer.publish(topic, valid);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(esp.appliedGeneration()).isEqualTo(2);
              assertThat(observer.lastReported(esp.deviceId()).orElseThrow().observedGeneration())
                  .isEqualTo(2);
            });
    assertThat(stm.appliedGeneration()).isZero();
    // a state naming another device on this device's topic is also reported: a replay
    assertThat(observer.events(esp.deviceId()))
        .extracting(DeviceEvent::reason)
        .containsExactly("DesiredMismatch", "ConfigApplied");
    assertThat(agent.isConnected()).isTrue();
  }

  @Test
  void aConfigTheDeviceCannotTakeIsRejectedAndALaterOneApplies() throws IOException {
    MqttObserver observer = observer();
    startAgent(RARELY, 100);
    awaitConnected(observer, esp);

    // the device refuses it: an input name appears twice
    observer.publish(desiredTopic(esp), desired(esp, 2, "accel_rms", "accel_rms"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.observedGeneration()).isZero();
                        assertThat(r.configError()).contains("accel_rms");
                      });
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("ConfigRejected");
            });

    // valid for the contract, but too large for one frame of the device link
    String[] many =
        IntStream.range(0, 32)
            .mapToObj(i -> "input_" + i + "_" + "x".repeat(50))
            .toArray(String[]::new);
    observer.publish(desiredTopic(esp), desired(esp, 3, many));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("ConfigRejected", "ConfigRejected");
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.observedGeneration()).isZero();
                        assertThat(r.configError()).isNotBlank().doesNotContain("accel_rms");
                      });
            });
    assertThat(esp.appliedGeneration()).isZero();

    observer.publish(desiredTopic(esp), desired(esp, 4, "accel_rms"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(esp.appliedGeneration()).isEqualTo(4);
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.observedGeneration()).isEqualTo(4);
                        assertThat(r.configError()).isNull();
                      });
            });
  }

  @Test
  void aCrashLeavesTheWillWithTheBirthSeqAndARestartIsBornHigher() throws IOException {
    MqttObserver observer = observer();
    EdgeAgent first = startAgent(RARELY, 100);
    GatewayState birth = awaitBirthWithBothDevices(observer, 0);

    first.crash();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observer.gatewayState(GATEWAY))
                    .get()
                    .satisfies(
                        s -> {
                          assertThat(s.status()).isEqualTo(GatewayState.Status.OFFLINE);
                          assertThat(s.seq()).isEqualTo(birth.seq());
                        }));
    MqttObserver late = observer();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(late.states(GATEWAY))
                    .as("retained")
                    .containsExactly(GatewayState.will(GATEWAY, birth.seq())));
    await().atMost(WAIT).until(() -> !esp.isAttached() && !stm.isAttached());

    startAgent(RARELY, 100);

    GatewayState rebirth = awaitBirthWithBothDevices(observer, birth.seq());
    assertThat(rebirth.seq()).isGreaterThan(birth.seq());
  }

  @Test
  void aRestartWhileADeviceIsUnreachableKeepsItsIdentityAndGenerationFromDisk() throws IOException {
    MqttObserver observer = observer();
    EdgeAgent first = startAgent(RARELY, 100);
    awaitConnected(observer, esp);
    observer.publish(desiredTopic(esp), desired(esp, 2, "accel_rms"));
    await()
        .atMost(WAIT)
        .until(() -> observer.lastReported(esp.deviceId()).orElseThrow().observedGeneration() == 2);
    long seq = awaitBirthWithBothDevices(observer, 0).seq();

    first.close();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observer.gatewayState(GATEWAY))
                    .get()
                    .isEqualTo(GatewayState.will(GATEWAY, seq)));
    espServer.close();

    startAgent(RARELY, 100);

    GatewayState rebirth = awaitBirthWithBothDevices(observer, seq);
    assertThat(rebirth.seq()).isGreaterThan(seq);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.link()).isEqualTo(ReportedState.Link.UNREACHABLE);
                        assertThat(r.observedGeneration()).isEqualTo(2);
                      });
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("ConfigApplied", "LinkLost");
            });

    espServer = EmulatorServer.start(esp, espPort);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.lastReported(esp.deviceId()))
                  .get()
                  .satisfies(
                      r -> {
                        assertThat(r.link()).isEqualTo(ReportedState.Link.CONNECTED);
                        assertThat(r.observedGeneration()).isEqualTo(2);
                      });
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("ConfigApplied", "LinkLost", "LinkRestored");
            });
    assertThat(esp.stats().counter("configsApplied")).isEqualTo(1);
  }

  @Test
  void eventsRaisedWhileTheBrokerIsDownArriveInOrderOnceItIsBack() throws IOException {
    TcpProxy proxy = proxy();
    MqttObserver observer = observer();
    EdgeAgent agent = startAgent(proxy.uri(), OFTEN, 100);
    awaitConnected(observer, esp);
    long seq = awaitBirthWithBothDevices(observer, 0).seq();

    proxy.hold();
    broker.kill();
    await().atMost(WAIT).until(() -> !agent.isConnected());
    espServer.close();
    await().atMost(WAIT).until(() -> agent.spooledEvents() == 1);
    espServer = EmulatorServer.start(esp, espPort);
    await().atMost(WAIT).until(() -> agent.spooledEvents() == 2);
    assertThat(spooledOnDisk())
        .satisfiesExactly(
            line -> assertThat(line).contains("\"LinkLost\""),
            line -> assertThat(line).contains("\"LinkRestored\""));

    broker.startAgain();
    await().atMost(WAIT).until(() -> observer.connects() == 2);
    proxy.release();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.events(esp.deviceId()))
                  .extracting(DeviceEvent::reason)
                  .containsExactly("LinkLost", "LinkRestored");
              assertThat(agent.spooledEvents()).isZero();
            });
    List<DeviceEvent> events = observer.events(esp.deviceId());
    assertThat(events).extracting(DeviceEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(DeviceEvent::gateway).containsOnly(GATEWAY);
    assertThat(Instant.parse(events.get(0).time())).isBefore(Instant.parse(events.get(1).time()));
    assertThat(observer.events(stm.deviceId())).isEmpty();
    assertThat(agent.droppedEvents()).isZero();
    GatewayState rebirth = awaitBirthWithBothDevices(observer, seq);
    assertThat(rebirth.eventsDropped()).isZero();
    assertThat(spooledOnDisk()).isEmpty();
  }

  @Test
  void aFullSpoolDropsTheOldestEventsAndTheNextBirthCountsThem() throws IOException {
    TcpProxy proxy = proxy();
    MqttObserver observer = observer();
    EdgeAgent agent = startAgent(proxy.uri(), OFTEN, 2);
    awaitConnected(observer, esp);
    awaitConnected(observer, stm);
    long seq = awaitBirthWithBothDevices(observer, 0).seq();

    proxy.hold();
    broker.kill();
    await().atMost(WAIT).until(() -> !agent.isConnected());
    espServer.close();
    await().atMost(WAIT).until(() -> agent.spooledEvents() == 1);
    stmServer.close();
    await().atMost(WAIT).until(() -> agent.spooledEvents() == 2);
    espServer = EmulatorServer.start(esp, espPort);
    await().atMost(WAIT).until(() -> agent.droppedEvents() == 1);
    stmServer = EmulatorServer.start(stm, stmPort);
    await().atMost(WAIT).until(() -> agent.droppedEvents() == 2);
    assertThat(agent.spooledEvents()).isEqualTo(2);

    broker.startAgain();
    await().atMost(WAIT).until(() -> observer.connects() == 2);
    proxy.release();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(observer.events())
                  .extracting(DeviceEvent::device, DeviceEvent::reason)
                  .containsExactly(
                      tuple(esp.deviceId(), "LinkRestored"), tuple(stm.deviceId(), "LinkRestored"));
              assertThat(agent.spooledEvents()).isZero();
            });
    GatewayState rebirth = awaitBirthWithBothDevices(observer, seq);
    assertThat(rebirth.eventsDropped()).isEqualTo(2);
    assertThat(agent.droppedEvents()).isEqualTo(2);
  }

  @Test
  void theAgentComesBackAfterABrokerRestartAndStillFollowsDesiredState() throws IOException {
    MqttObserver observer = observer();
    EdgeAgent agent = startAgent(RARELY, 100);
    GatewayState birth = awaitBirthWithBothDevices(observer, 0);

    broker.restart();

    GatewayState rebirth = awaitBirthWithBothDevices(observer, birth.seq());
    assertThat(rebirth.seq()).isGreaterThan(birth.seq());
    assertThat(agent.isConnected()).isTrue();
    await().atMost(WAIT).until(observer::isConnected);

    observer.publish(desiredTopic(stm), desired(stm, 7, "temperature_c"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(stm.appliedGeneration()).isEqualTo(7);
              assertThat(observer.lastReported(stm.deviceId()).orElseThrow().observedGeneration())
                  .isEqualTo(7);
            });
  }

  @Test
  void publishesLeftUnacknowledgedByALostConnectionDoNotKeepTheAgentAway() throws IOException {
    TcpProxy proxy = proxy();
    MqttObserver observer = observer();
    EdgeAgent agent = startAgent(proxy.uri(), OFTEN, 100);
    long seq = awaitBirthWithBothDevices(observer, 0).seq();
    awaitConnected(observer, esp);

    // the broker gets the periodic reports but its acknowledgements never reach the agent
    proxy.mute();
    int before = observer.reported(esp.deviceId()).size();
    await().atMost(WAIT).until(() -> observer.reported(esp.deviceId()).size() >= before + 3);
    proxy.dropConnections();

    GatewayState rebirth = awaitBirthWithBothDevices(observer, seq);
    assertThat(rebirth.seq()).isGreaterThan(seq);
    assertThat(agent.isConnected()).isTrue();
    observer.publish(desiredTopic(esp), desired(esp, 5, "accel_rms"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observer.lastReported(esp.deviceId()).orElseThrow().observedGeneration())
                    .isEqualTo(5));
  }

  /**
   * The state folder turns read-only (a file system remounted read-only after an error) between two
   * runs. Before the fix, taking the birth sequence number threw on every connection attempt, so
   * the agent never connected, and saving a device record threw inside its supervisor.
   */
  @Test
  void aReadOnlyStateFolderNeverStopsReconnectsNorDeviceSupervision() throws IOException {
    MqttObserver observer = observer();
    EdgeAgent first = startAgent(RARELY, 100);
    long firstSeq = awaitBirthWithBothDevices(observer, 0).seq();
    first.close();

    try (FolderFaults readOnly = FolderFaults.readOnly(stateDir)) {
      EdgeAgent agent = startAgent(OFTEN, 100);
      GatewayState birth = awaitBirthWithBothDevices(observer, firstSeq);
      awaitConnected(observer, esp);

      observer.publish(desiredTopic(esp), desired(esp, 3, "accel_rms"));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(esp.appliedGeneration()).isEqualTo(3);
                assertThat(observer.lastReported(esp.deviceId()).orElseThrow().observedGeneration())
                    .isEqualTo(3);
              });
      espServer.close();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(observer.events(esp.deviceId()))
                      .extracting(DeviceEvent::reason)
                      .containsExactly("ConfigApplied", "LinkLost"));
      espServer = EmulatorServer.start(esp, espPort);
      awaitConnected(observer, esp);

      broker.restart();

      GatewayState rebirth = awaitBirthWithBothDevices(observer, birth.seq());
      assertThat(agent.isConnected()).isTrue();
      await().atMost(WAIT).until(observer::isConnected);
      observer.publish(desiredTopic(stm), desired(stm, 4, "temperature_c"));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(stm.appliedGeneration()).isEqualTo(4);
                assertThat(observer.lastReported(stm.deviceId()).orElseThrow().observedGeneration())
                    .isEqualTo(4);
              });
      assertThat(rebirth.seq()).isGreaterThan(birth.seq());
      assertThat(agent.stateWriteFailures()).isPositive();
      agent.close();
    }
  }

  private EdgeAgent startAgent(Duration reportInterval, int maxSpooledEvents) throws IOException {
    return startAgent(broker.uri(), reportInterval, maxSpooledEvents);
  }

  private EdgeAgent startAgent(String brokerUri, Duration reportInterval, int maxSpooledEvents)
      throws IOException {
    AgentConfig config =
        TestAgents.config(
            GATEWAY,
            namespace,
            brokerUri,
            stateDir,
            reportInterval,
            maxSpooledEvents,
            List.of(
                new AgentConfig.Device(
                    "tcp://127.0.0.1:" + espPort, "esp32", Map.of("site", "plant-1", "line", "3")),
                new AgentConfig.Device(
                    "tcp://127.0.0.1:" + stmPort, "stm32f4", Map.of("site", "plant-1"))));
    return AgentLaunch.overTcp(config, resources);
  }

  /** The event lines in the spool's segments that no acknowledgement line names. */
  private List<String> spooledOnDisk() throws IOException {
    Path spool = stateDir.resolve("spool");
    List<String> acked;
    List<String> events;
    try (var files = Files.list(spool)) {
      acked =
          files
              .filter(p -> p.getFileName().toString().endsWith(".acks"))
              .flatMap(EdgeAgentTest::lines)
              .toList();
    }
    try (var files = Files.list(spool)) {
      events =
          files
              .filter(p -> p.getFileName().toString().endsWith(".log"))
              .flatMap(EdgeAgentTest::lines)
              .filter(
                  line -> acked.stream().noneMatch(seq -> line.contains("\"seq\":" + seq + ",")))
              .toList();
    }
    return events;
  }

  private static java.util.stream.Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private MqttObserver observer() throws IOException {
    MqttObserver observer = MqttObserver.connect(broker.uri(), namespace);
    resources.push(observer);
    return observer;
  }

  /**
   * A way to the broker that the test can hold shut: after a broker crash, the observer subscribes
   * again before the agent is let back in, so nothing the agent sends then can pass unobserved.
   */
  private TcpProxy proxy() throws IOException {
    TcpProxy proxy = TcpProxy.start(broker.port());
    resources.push(proxy);
    return proxy;
  }

  private GatewayState awaitBirthWithBothDevices(MqttObserver observer, long afterSeq) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observer.gatewayState(GATEWAY))
                    .as("gateway states so far: %s", observer.states(GATEWAY))
                    .get()
                    .satisfies(
                        s -> {
                          isOnlineWithBothDevices(s);
                          assertThat(s.seq()).isGreaterThan(afterSeq);
                        }));
    return observer.gatewayState(GATEWAY).orElseThrow();
  }

  private void isOnlineWithBothDevices(GatewayState state) {
    assertThat(state.status()).isEqualTo(GatewayState.Status.ONLINE);
    assertThat(state.gateway()).isEqualTo(GATEWAY);
    assertThat(state.devices())
        .extracting(DeviceInfo::id)
        .containsExactlyInAnyOrder(esp.deviceId(), stm.deviceId());
  }

  private static void awaitConnected(MqttObserver observer, DeviceEmulator device) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observer.lastReported(device.deviceId()))
                    .get()
                    .extracting(ReportedState::link)
                    .isEqualTo(ReportedState.Link.CONNECTED));
  }

  private static void awaitDrops(EdgeAgent agent, DropReason reason, long count) {
    await().atMost(WAIT).until(() -> agent.drops().count(reason) == count);
  }

  private String desiredTopic(DeviceEmulator device) {
    return Topic.desired(namespace, GATEWAY, device.deviceId()).path();
  }

  private static DesiredState desired(DeviceEmulator device, long generation, String... inputs) {
    RuntimeConfig config =
        new RuntimeConfig(
            Arrays.stream(inputs)
                .map(
                    name ->
                        new RuntimeConfig.Input(
                            name,
                            "g",
                            0.0,
                            16.0,
                            null,
                            null,
                            new RuntimeConfig.Normalize("zscore", 1.0, 0.5)))
                .toList(),
            new RuntimeConfig.Decision(0, 0.8, 3),
            new RuntimeConfig.Fallback("hold-last", List.of()),
            null,
            1);
    return new DesiredState(
        Message.VERSION, device.deviceId(), "vibration-line-3", generation, config, null);
  }

  private static Capabilities capabilities(Chip chip) {
    var c = chip.capabilities();
    return new Capabilities(c.operators(), c.arenaBytes(), c.slotBytes());
  }
}
