package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.EdgeAgent;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.operator.TestSigning;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's side of gateway identity, on a real Mosquitto with per-gateway passwords and the
 * ACL of {@code scripts/broker-config.py}: the operator's routing subscribes as MqttBridge does and
 * configures a device behind a real agent; a second gateway of the namespace, which the broker lets
 * write only under its own name, claims the device and reports for it there: the claim is ignored,
 * the report dropped, and the real device stays with its gateway and keeps being configured.
 */
class GatewayIdentityTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NS = "plant-a";
  private static final String OPERATOR = "fieldproof-operator";

  @TempDir Path dir;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Map<String, String> passwords = new HashMap<>();
  private final InboundMetrics metrics = new InboundMetrics(new SimpleMeterRegistry());
  private final FleetIndex index = new FleetIndex(Clock.systemUTC());
  private MosquittoBroker broker;

  @BeforeEach
  void broker() throws Exception {
    Path out = dir.resolve("broker");
    Path secrets = dir.resolve("secrets.txt");
    Process generate =
        new ProcessBuilder(
                "python3",
                ProjectPaths.root().resolve("scripts/broker-config.py").toString(),
                "--gateway",
                NS + "/gw-1",
                "--gateway",
                NS + "/gw-2",
                "--operator-namespace",
                NS,
                "--passwords",
                secrets.toString(),
                "--generate-missing",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(generate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(generate.waitFor()).as(output).isZero();
    for (String line : Files.readAllLines(secrets)) {
      String[] parts = line.split(":", 2);
      passwords.put(parts[0], parts[1]);
    }
    broker =
        MosquittoBroker.startSecured(
            null, new MosquittoBroker.Access(out.resolve("acl"), out.resolve("passwd")));
    resources.push(broker);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void anotherGatewayCannotSpeakForTheDevice() throws Exception {
    InboundRouter router = new InboundRouter(index, metrics, new DesiredCapture());
    MqttSession operator = session(OPERATOR);
    operator.subscribe(Topic.filter(NS, "gw/+/state"), router::accept);
    operator.subscribe(Topic.deviceFilter(NS, TopicKind.DESIRED), router::accept);
    operator.subscribe(Topic.deviceFilter(NS, TopicKind.REPORTED), router::accept);
    operator.subscribe(
        "$share/fieldproof/" + Topic.deviceFilter(NS, TopicKind.EVENTS), router::accept);
    start(operator);
    DesiredPublisher publisher = new DesiredPublisher(operator, index, TestSigning.signing());

    DeviceEmulator esp = DeviceEmulator.builder(Chip.ESP32).seed(9191).build();
    EmulatorServer server = EmulatorServer.start(esp, 0);
    resources.push(server);
    agent("gw-1", server);
    String device = esp.deviceId();
    await()
        .atMost(WAIT)
        .until(() -> index.device(NS, device).map(e -> e.reported() != null).orElse(false));
    publisher.update(NS, device, current -> state(device, 1));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 1);

    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    MqttSession spy = session(OPERATOR);
    spy.subscribe(
        Topic.deviceFilter(NS, TopicKind.REPORTED),
        (topic, payload) -> seen.add(topic + " " + new String(payload, StandardCharsets.UTF_8)));
    start(spy);
    MqttSession intruder = session("plant-a.gw-2");
    start(intruder);
    publish(
        intruder,
        Topic.gatewayState(NS, "gw-2").path(),
        "{\"v\":1,\"gateway\":\"gw-2\",\"status\":\"online\",\"seq\":1,\"devices\":[{\"id\":\""
            + device
            + "\",\"chip\":\"esp32\",\"labels\":{\"fieldproof.io/gateway\":\"gw-1\"}}]}");
    publish(intruder, Topic.reported(NS, "gw-1", device).path(), report(device, "gw-1"));
    publish(intruder, Topic.reported(NS, "gw-2", device).path(), report(device, "gw-2"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(metrics.ignoredCount(IgnoredClaim.LATER_CLAIM)).isEqualTo(1);
              assertThat(metrics.ignoredCount(IgnoredClaim.RESERVED_LABEL)).isEqualTo(1);
              assertThat(metrics.droppedCount(DropReason.IDENTITY_MISMATCH))
                  .as("the report under gw-2's own name; the one under gw-1's never passed the ACL")
                  .isEqualTo(1);
            });
    // the intruder's messages arrive in order: once its last one is seen, the first would have been
    await().atMost(WAIT).until(() -> seen.stream().anyMatch(m -> m.contains("/gw/gw-2/")));
    assertThat(seen)
        .as("the report under gw-1's name never passed the broker")
        .noneMatch(m -> m.contains("/gw/gw-1/") && m.contains("\"observedGeneration\":99"));
    DeviceEntry entry = index.device(NS, device).orElseThrow();
    assertThat(entry.gateway()).isEqualTo("gw-1");
    assertThat(entry.laterClaims()).containsExactly("gw-2");
    assertThat(entry.reported().gateway()).isEqualTo("gw-1");
    assertThat(entry.reported().observedGeneration()).isEqualTo(1);

    publisher.update(NS, device, current -> state(device, 2));
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 2);
    assertThat(index.desiredGateway(NS, device)).contains("gw-1");
  }

  private void agent(String gateway, EmulatorServer server) throws Exception {
    String user = NS + "." + gateway;
    AgentConfig config =
        new AgentConfig(
            gateway,
            NS,
            new AgentConfig.Broker(
                broker.uri(),
                user,
                passwords.get(user).toCharArray(),
                null,
                true,
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                Duration.ofMillis(500)),
            Files.createTempDirectory(dir, "agent"),
            Duration.ofMillis(500),
            100,
            List.of(new AgentConfig.Device(server.uri(), "esp32", Map.of("line", "3"))),
            TestSigning.agentTrust());
    EdgeAgent agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(2)), Clock.systemUTC());
    resources.push(agent);
    agent.start();
  }

  private static String report(String device, String gateway) {
    return "{\"v\":1,\"device\":\""
        + device
        + "\",\"gateway\":\""
        + gateway
        + "\",\"link\":\"connected\",\"observedGeneration\":99}";
  }

  private static DesiredState state(String device, long generation) {
    return new DesiredState(
        1, device, "pumps", generation, new RuntimeConfig(List.of(), null, null, null, 30), null);
  }

  private static void publish(MqttSession session, String topic, String payload) {
    session
        .publish(topic, payload.getBytes(StandardCharsets.UTF_8), false)
        .handle((ok, refused) -> null)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private void start(MqttSession session) {
    session.start();
    await().atMost(WAIT).until(session::isConnected);
  }

  private MqttSession session(String user) throws Exception {
    MqttSession session =
        new MqttSession(
            new MqttSettings(
                broker.uri(),
                user.replace('.', '-') + "-" + System.nanoTime(),
                user,
                passwords.get(user).toCharArray(),
                null,
                true,
                true,
                Duration.ZERO,
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                null),
            null,
            r -> {},
            scheduler);
    resources.push(session);
    return session;
  }
}
