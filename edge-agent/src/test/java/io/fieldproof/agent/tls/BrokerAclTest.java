package io.fieldproof.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.EdgeAgent;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.protocol.signing.Ed25519Keys;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker setup the project generates ({@code scripts/broker-config.py}), on a real Mosquitto
 * with a TLS listener of a test CA, per-gateway passwords and the generated ACL: a gateway of one
 * namespace can neither write nor read another namespace's topics, a gateway cannot write under
 * another gateway of its namespace, and the operator and a real agent still do all they need.
 *
 * <p>Each refusal is proven without waiting out a timeout: a client's messages reach the broker in
 * order, so once a message it sent after the refused one arrives, the refused one would have too.
 */
class BrokerAclTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String OPERATOR = "fieldproof-operator";
  private static final String DEVICE_A = "esp32-a4cf12e0b3d1";
  private static final String DEVICE_B = "esp32-b4cf12e0b3d1";
  private static final String SHA = "ab".repeat(32);

  @TempDir static Path dir;

  private static Map<String, String> passwords;
  private static TestCa ca;
  private static TestCa.Issued brokerCert;
  private static Path generated;
  private MosquittoBroker broker;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  @BeforeAll
  static void generateAndStart() throws Exception {
    ca = TestCa.create(Files.createDirectories(dir.resolve("ca")), "fieldproof-test-ca");
    brokerCert = ca.issue("broker", "ec", "IP:127.0.0.1,DNS:localhost");
    Path out = dir.resolve("broker");
    generated = out;
    Path secrets = dir.resolve("secrets.txt");
    run(
        "python3",
        ProjectPaths.root().resolve("scripts/broker-config.py").toString(),
        "--gateway",
        "plant-a/gw-1",
        "--gateway",
        "plant-a/gw-2",
        "--gateway",
        "plant-b/gw-1",
        "--operator-user",
        OPERATOR,
        "--passwords",
        secrets.toString(),
        "--generate-missing",
        "--out",
        out.toString());
    passwords = new HashMap<>();
    for (String line : Files.readAllLines(secrets)) {
      String[] parts = line.split(":", 2);
      passwords.put(parts[0], parts[1]);
    }
    assertThat(passwords)
        .containsOnlyKeys(OPERATOR, "plant-a.gw-1", "plant-a.gw-2", "plant-b.gw-1");
  }

  /** A broker of its own per test, so no retained message of one test reaches another. */
  @BeforeEach
  void startBroker() {
    broker =
        MosquittoBroker.startSecured(
            new MosquittoBroker.Tls(ca.cert(), brokerCert.cert(), brokerCert.key(), null),
            new MosquittoBroker.Access(generated.resolve("acl"), generated.resolve("passwd")));
    resources.push(broker);
  }

  @AfterEach
  void close() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void aGatewayOfAnotherNamespaceCannotWriteThere() throws Exception {
    Collected operator = connect(OPERATOR, "fieldproof/v2/+/gw/+/state", deviceFilter("+"));
    MqttSession intruder = session("plant-b.gw-1");

    // a birth and a report into plant-a, naming plant-a's gateway, then its own birth
    publish(intruder, Topic.gatewayState("plant-a", "gw-1").path(), "forged birth");
    publish(intruder, Topic.reported("plant-a", "gw-1", DEVICE_A).path(), "forged report");
    publish(intruder, Topic.events("plant-a", "gw-1", DEVICE_A).path(), "forged event");
    publish(intruder, Topic.gatewayState("plant-b", "gw-1").path(), "own birth");

    await().atMost(WAIT).until(() -> operator.has(Topic.gatewayState("plant-b", "gw-1").path()));
    assertThat(operator.topics()).containsExactly(Topic.gatewayState("plant-b", "gw-1").path());
  }

  @Test
  void aGatewayOfAnotherNamespaceCannotReadThere() throws Exception {
    MqttSession operator = session(OPERATOR);
    Collected intruder =
        connect(
            "plant-b.gw-1",
            "fieldproof/v2/plant-a/#",
            Topic.desired("plant-a", "gw-1", DEVICE_A).path(),
            Topic.modelManifest("plant-a", SHA).path(),
            "fieldproof/v2/+/gw/+/dev/+/desired",
            Topic.desired("plant-b", "gw-1", DEVICE_B).path());

    publish(operator, Topic.desired("plant-a", "gw-1", DEVICE_A).path(), "desired of plant-a");
    publish(operator, Topic.modelManifest("plant-a", SHA).path(), "model of plant-a");
    publish(operator, Topic.desired("plant-b", "gw-1", DEVICE_B).path(), "desired of plant-b");

    await()
        .atMost(WAIT)
        .until(() -> intruder.has(Topic.desired("plant-b", "gw-1", DEVICE_B).path()));
    assertThat(intruder.topics())
        .containsExactly(Topic.desired("plant-b", "gw-1", DEVICE_B).path());
  }

  @Test
  void aGatewayCannotWriteOrReadUnderAnotherGatewayOfItsNamespace() throws Exception {
    Collected operator = connect(OPERATOR, deviceFilter("plant-a"), "fieldproof/v2/+/gw/+/state");
    Collected neighbour =
        connect("plant-a.gw-2", Topic.desired("plant-a", "gw-1", DEVICE_A).path());
    MqttSession gw2 = neighbour.session;
    MqttSession owner = session(OPERATOR);
    publish(owner, Topic.desired("plant-a", "gw-1", DEVICE_A).path(), "gw-1's device");
    await()
        .atMost(WAIT)
        .until(() -> operator.has(Topic.desired("plant-a", "gw-1", DEVICE_A).path()));

    publish(gw2, Topic.reported("plant-a", "gw-1", DEVICE_A).path(), "report for gw-1's device");
    publish(gw2, Topic.gatewayState("plant-a", "gw-1").path(), "gw-1's birth");
    publish(gw2, Topic.reported("plant-a", "gw-2", DEVICE_B).path(), "own report");

    await()
        .atMost(WAIT)
        .until(() -> operator.has(Topic.reported("plant-a", "gw-2", DEVICE_B).path()));
    assertThat(operator.topics())
        .containsExactlyInAnyOrder(
            Topic.reported("plant-a", "gw-2", DEVICE_B).path(),
            Topic.desired("plant-a", "gw-1", DEVICE_A).path());
    assertThat(neighbour.topics()).isEmpty();
  }

  @Test
  void theOperatorAndARealAgentWorkThroughTheAcl() throws Exception {
    Collected operator =
        connect(
            OPERATOR,
            Topic.filter("plant-a", "gw/+/state"),
            Topic.deviceFilter("plant-a", TopicKind.REPORTED),
            "$share/fieldproof/" + Topic.deviceFilter("plant-a", TopicKind.EVENTS));
    DeviceEmulator esp = DeviceEmulator.builder(Chip.ESP32).seed(4242).build();
    EmulatorServer server = EmulatorServer.start(esp, 0);
    resources.push(server);
    EdgeAgent agent = agent("plant-a", "gw-1", server);
    String device = esp.deviceId();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.topics())
                    .contains(
                        Topic.gatewayState("plant-a", "gw-1").path(),
                        Topic.reported("plant-a", "gw-1", device).path()));

    DesiredSigner signer =
        DesiredSigner.fromPem(Files.readString(TestSigningKeys.TEST.privateKeyFile()));
    DesiredState desired =
        signer.sign(
            "plant-a",
            new DesiredState(
                Message.VERSION,
                device,
                "pumps",
                1,
                new RuntimeConfig(List.of(), null, null, null, 30),
                null),
            System.currentTimeMillis());
    operator
        .session
        .publish(
            Topic.desired("plant-a", "gw-1", device).path(), MessageCodec.encode(desired), true)
        .get(10, TimeUnit.SECONDS);
    operator
        .session
        .publish(
            Topic.modelManifest("plant-a", SHA).path(),
            "a model".getBytes(StandardCharsets.UTF_8),
            true)
        .get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.topics())
                    .as("the agent's events reach the operator's shared subscription")
                    .contains(Topic.events("plant-a", "gw-1", device).path()));
    Collected gateway = connect("plant-a.gw-1", Topic.modelManifest("plant-a", SHA).path());
    await().atMost(WAIT).until(() -> gateway.has(Topic.modelManifest("plant-a", SHA).path()));
    assertThat(agent.drops().count(io.fieldproof.protocol.DropReason.UNSIGNED)).isZero();
  }

  private EdgeAgent agent(String namespace, String gateway, EmulatorServer server)
      throws IOException {
    String user = namespace + "." + gateway;
    AgentConfig config =
        new AgentConfig(
            gateway,
            namespace,
            new AgentConfig.Broker(
                broker.uri(),
                user,
                passwords.get(user).toCharArray(),
                ca.cert(),
                true,
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                Duration.ofMillis(500)),
            Files.createTempDirectory(dir, "agent"),
            Duration.ofMillis(500),
            100,
            List.of(new AgentConfig.Device(server.uri(), "esp32", Map.of("line", "3"))),
            AgentConfig.Trust.keys(
                List.of(
                    Ed25519Keys.publicKey(
                        Files.readString(TestSigningKeys.TEST.publicKeyFile())))));
    EdgeAgent agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(2)), Clock.systemUTC());
    resources.push(agent);
    agent.start();
    return agent;
  }

  private static String deviceFilter(String namespace) {
    return Topic.filter(namespace, "gw/+/dev/#");
  }

  private static void publish(MqttSession session, String topic, String payload) {
    // a refused QoS 1 publish is acknowledged with "not authorized"; either way it is done
    session
        .publish(topic, payload.getBytes(StandardCharsets.UTF_8), false)
        .handle((ok, refused) -> null)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private MqttSession session(String user) throws IOException {
    MqttSession session = new MqttSession(settings(user), null, r -> {}, scheduler);
    resources.push(session);
    session.start();
    await().atMost(WAIT).alias(user + " connected").until(session::isConnected);
    return session;
  }

  private Collected connect(String user, String... filters) throws IOException {
    MqttSession session = new MqttSession(settings(user), null, r -> {}, scheduler);
    resources.push(session);
    Collected collected = new Collected(session);
    for (String filter : filters) {
      session.subscribe(filter, collected::accept);
    }
    session.start();
    await().atMost(WAIT).alias(user + " connected").until(session::isConnected);
    return collected;
  }

  private MqttSettings settings(String user) {
    return new MqttSettings(
        broker.uri(),
        user.replace('.', '-') + "-" + System.nanoTime(),
        user,
        passwords.get(user).toCharArray(),
        ca.cert(),
        true,
        true,
        Duration.ZERO,
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        null);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }

  /** The topics a session received a non-empty message on. */
  private static final class Collected {
    private final MqttSession session;
    private final List<String> received = new CopyOnWriteArrayList<>();

    Collected(MqttSession session) {
      this.session = session;
    }

    void accept(String topic, byte[] payload) {
      if (payload.length > 0 && !received.contains(topic)) {
        received.add(topic);
      }
    }

    boolean has(String topic) {
      return received.contains(topic);
    }

    Set<String> topics() {
      return Set.copyOf(received);
    }
  }
}
