package io.fieldproof.agent;

import static io.fieldproof.agent.ColdRoomConfig.configOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.signing.DesiredSigner;
import io.fieldproof.protocol.signing.DesiredVerifier;
import io.fieldproof.protocol.signing.Refusal;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends over 10 000 seeded malformed, oversized and spoofed messages through a real Mosquitto to an
 * agent serving one emulated device: on its desired topic (random bytes, truncated and bit-flipped
 * signed states, wrong types, huge strings and arrays, deep nesting, past the codec's limit, for
 * another device, unsigned, signed by an untrusted key, altered, replayed), on the chunk topics of
 * a model it is fetching (wrong bytes), on topics it does not subscribe to (other devices, odd
 * segments, unknown models, absurd manifests, chunk indexes out of range) and past the broker's
 * maximum packet size. The agent still applies a signed state and the model afterwards, its spool
 * and heap stay bounded, and each message it received and dropped is counted under the reason the
 * codec and the signature check give for it, and nothing else is.
 */
class AgentFuzzTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "fuzz-test";
  private static final String GATEWAY = "gw-fuzz";
  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");
  private static final int DESIRED_MESSAGES = 10_000;
  private static final int CHUNK_MESSAGES = 600;
  private static final int UNDELIVERED_MESSAGES = 1_000;
  private static final int MAX_SPOOLED = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path stateDir;

  private final Random random = new Random(14);
  private final DesiredSigner operatorKey = TestAgents.signer(TestSigningKeys.TEST);
  private final DesiredSigner untrustedKey = TestAgents.signer(TestSigningKeys.NEXT);
  private final DesiredVerifier verifier =
      new DesiredVerifier(List.of(TestAgents.publicKey(TestSigningKeys.TEST)));
  private final Map<DropReason, Long> expected = new EnumMap<>(DropReason.class);
  private final Map<String, Integer> sentByKind = new TreeMap<>();
  private final List<DesiredState> older = new ArrayList<>();
  private long newestAccepted;
  private MosquittoBroker broker;
  private DeviceEmulator esp;
  private EmulatorServer espServer;
  private MqttSession operator;
  private final ScheduledExecutorService publisherThread =
      Executors.newSingleThreadScheduledExecutor();
  private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
  private final AtomicInteger connects = new AtomicInteger();
  private EdgeAgent agent;
  private Topic desiredTopic;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.start();
    esp =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(714)
            .activeModel("dense-anomaly", "1.0.0", fixture("dense_anomaly.tflite"))
            .build();
    espServer = EmulatorServer.start(esp, 0);
    operator =
        new MqttSession(
            TestBrokerClients.settings(broker.uri(), "fuzzer"),
            null,
            reconnect -> connects.incrementAndGet(),
            publisherThread);
    operator.start();
    await().atMost(WAIT).until(() -> connects.get() > 0);
    AgentConfig config =
        TestAgents.config(
            GATEWAY,
            NS,
            broker.uri(),
            stateDir,
            Duration.ofMillis(500),
            MAX_SPOOLED,
            List.of(new AgentConfig.Device(espServer.uri(), "esp32", Map.of())));
    agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(2)), Clock.systemUTC());
    agent.start();
    desiredTopic = Topic.desired(NS, GATEWAY, esp.deviceId());
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (operator != null) {
      operator.close();
    }
    publisherThread.shutdownNow();
    if (espServer != null) {
      espServer.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyBadMessageIsDroppedAndCountedAndTheDeviceIsStillServed() throws Exception {
    for (int i = 0; i < 20; i++) {
      older.add(signed(operatorKey, NS, configOnly(esp.deviceId(), 100 + i)));
    }
    DesiredState first = signed(operatorKey, NS, configOnly(esp.deviceId(), 1));
    publish(desiredTopic.path(), MessageCodec.encode(first), true);
    newestAccepted = first.signature().signedAt();
    await().atMost(WAIT).until(() -> esp.appliedGeneration() == 1);

    long started = System.nanoTime();
    for (int i = 0; i < DESIRED_MESSAGES; i++) {
      fuzzDesired(first);
    }
    for (int i = 0; i < UNDELIVERED_MESSAGES; i++) {
      undelivered();
    }
    pastTheBrokersPacketLimit();
    awaitCounted();

    byte[] model = fixture("logistic_temperature.tflite");
    ModelChunks.Split split = ModelChunks.split(model, 1024, "cold-room", "2.0.0");
    String sha = split.manifest().sha256();
    int chunks = split.chunks().size();
    Topic lastChunk = Topic.modelChunk(NS, sha, chunks - 1);
    byte[] lastBad = flipped(split.chunks().get(chunks - 1));
    publish(lastChunk.path(), lastBad, true);
    expect("chunk-retained-bad", DropReason.DIGEST_MISMATCH);
    publish(Topic.modelManifest(NS, sha).path(), MessageCodec.encode(split.manifest()), true);
    DesiredState withModel =
        signed(
            operatorKey,
            NS,
            withModel(
                configOnly(esp.deviceId(), 2),
                new ModelRef("cold-room", "2.0.0", sha, model.length)));
    publish(desiredTopic.path(), MessageCodec.encode(withModel), true);
    awaitCounted();
    for (int i = 0; i < CHUNK_MESSAGES; i++) {
      fuzzChunk(sha, split.chunks(), random.nextInt(chunks));
    }
    awaitCounted();
    for (int i = 0; i < chunks; i++) {
      publish(Topic.modelChunk(NS, sha, i).path(), split.chunks().get(i), true);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(esp.appliedGeneration()).isEqualTo(2);
              assertThat(esp.slots().activeModel().map(AgentFuzzTest::sha)).hasValue(sha);
            });

    long bad = expected.values().stream().mapToLong(Long::longValue).sum();
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    long heap = runtime.totalMemory() - runtime.freeMemory();
    System.out.printf(
        "AgentFuzzTest: sent %s; dropped %s (%d in all) in %d ms; heap after GC %d MiB%n",
        sentByKind, expected, bad, (System.nanoTime() - started) / 1_000_000, heap >> 20);
    assertThat(bad).isGreaterThanOrEqualTo(10_000);
    assertThat(counted()).isEqualTo(expected);
    assertThat(agent.isConnected()).isTrue();
    assertThat(agent.spooledEvents()).isLessThanOrEqualTo(MAX_SPOOLED);
    assertThat(heap).as("heap in use after the flood").isLessThan(256L * 1024 * 1024);
  }

  /** One bad message on the device's own desired topic, of a kind drawn at random. */
  private void fuzzDesired(DesiredState good) {
    byte[] valid = MessageCodec.encode(good);
    switch (random.nextInt(16)) {
      case 0 -> send("random-bytes", randomBytes(1 + random.nextInt(2_000)));
      case 1 -> send("truncated", Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)));
      case 2 -> send("bit-flipped", flipped(valid));
      case 3 -> send("wrong-type", wrongType(valid));
      case 4 -> send("huge-string", huge(valid, false));
      case 5 -> send("huge-array", huge(valid, true));
      case 6 -> send("deeply-nested", nested(2_000 + random.nextInt(20_000)));
      case 7 -> send("past-codec-limit", pad(valid, 64 * 1024 + random.nextInt(64 * 1024)));
      case 8 ->
          send(
              "for-another-device",
              MessageCodec.encode(
                  signed(operatorKey, NS, configOnly("esp32-0000000000aa", random.nextInt(99)))));
      case 9 -> send("unsigned", MessageCodec.encode(configOnly(esp.deviceId(), 3)));
      case 10 ->
          send(
              "untrusted-key",
              MessageCodec.encode(signed(untrustedKey, NS, configOnly(esp.deviceId(), 3))));
      case 11 ->
          send(
              "altered",
              MessageCodec.encode(
                  configOnly(esp.deviceId(), 3 + random.nextInt(1000))
                      .withSignature(good.signature())));
      case 12 ->
          send("replayed-older", MessageCodec.encode(older.get(random.nextInt(older.size()))));
      case 13 ->
          send(
              "other-namespace",
              MessageCodec.encode(signed(operatorKey, "plant-b", configOnly(esp.deviceId(), 3))));
      case 14 -> {
        ObjectNode tree = tree(valid);
        tree.put("v", random.nextBoolean() ? 2 + random.nextInt(100) : 0);
        send("wrong-version", bytes(tree));
      }
      default ->
          send(
              "not-an-object",
              List.of("[]", "42", "\"desired\"", "null", "true", "[{\"v\":1}]")
                  .get(random.nextInt(6))
                  .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Publishes {@code payload} on the desired topic and expects the drop the agent must count. */
  private void send(String kind, byte[] payload) {
    Optional<DropReason> reason = verdict(payload);
    if (reason.isEmpty()) {
      sentByKind.merge(kind + "-skipped-as-acceptable", 1, Integer::sum);
      return;
    }
    publish(desiredTopic.path(), payload, false);
    expect(kind, reason.get());
  }

  private void expect(String kind, DropReason reason) {
    sentByKind.merge(kind, 1, Integer::sum);
    expected.merge(reason, 1L, Long::sum);
  }

  /**
   * Why the agent must drop {@code payload} on the desired topic: what the codec, the signature
   * check and the replay check say, in the agent's order; empty if it would be accepted.
   */
  private Optional<DropReason> verdict(byte[] payload) {
    try {
      DesiredState desired = MessageCodec.decodeDesired(desiredTopic, payload);
      Optional<Refusal> refusal = verifier.check(NS, esp.deviceId(), desired);
      if (refusal.isPresent()) {
        return Optional.of(refusal.get().reason().dropReason());
      }
      return desired.signature().signedAt() < newestAccepted
          ? Optional.of(DropReason.STALE)
          : Optional.empty();
    } catch (InvalidMessageException e) {
      return Optional.of(e.reason());
    }
  }

  /** A bad chunk of the model being fetched: random, bit-flipped, cut or grown. */
  private void fuzzChunk(String sha, List<byte[]> chunks, int index) {
    byte[] good = chunks.get(index);
    byte[] bad =
        switch (random.nextInt(4)) {
          case 0 -> randomBytes(1 + random.nextInt(2_048));
          case 1 -> flipped(good);
          case 2 -> Arrays.copyOf(good, 1 + random.nextInt(good.length - 1));
          default -> Arrays.copyOf(good, good.length + 1 + random.nextInt(4_096));
        };
    publish(Topic.modelChunk(NS, sha, index).path(), bad, false);
    expect("chunk-bad", DropReason.DIGEST_MISMATCH);
  }

  /**
   * A message on a topic the agent does not subscribe to: the broker never delivers it and the
   * agent counts nothing for it.
   */
  private void undelivered() {
    String unknownSha = HexFormat.of().formatHex(randomBytes(32));
    String topic;
    byte[] payload;
    switch (random.nextInt(6)) {
      case 0 -> {
        String stranger = String.format("esp32-%012x", random.nextLong() & 0xffffffffffffL);
        topic = Topic.desired(NS, GATEWAY, stranger).path();
        payload = MessageCodec.encode(signed(operatorKey, NS, configOnly(stranger, 1)));
      }
      case 1 -> {
        topic =
            List.of(
                    desiredTopic.path() + "/extra",
                    "fieldproof/v2/" + NS + "/gw/" + GATEWAY + "/dev//desired",
                    "fieldproof/v2/" + NS + "/gw/" + GATEWAY + "/dev/../desired",
                    "fieldproof/v2/" + NS + "/gw//dev/" + esp.deviceId() + "/desired",
                    "fieldproof/v1/" + NS + "/dev/" + esp.deviceId() + "/desired",
                    "fieldproof/v2/" + NS + "/gw/" + GATEWAY + "/dev/" + esp.deviceId() + "/désiré",
                    "fieldproof/v2/"
                        + NS
                        + "/gw/"
                        + GATEWAY
                        + "/dev/"
                        + "x".repeat(2_000)
                        + "/desired",
                    "/fieldproof/v2/"
                        + NS
                        + "/gw/"
                        + GATEWAY
                        + "/dev/"
                        + esp.deviceId()
                        + "/desired")
                .get(random.nextInt(8));
        payload = randomBytes(1 + random.nextInt(500));
      }
      case 2 -> {
        topic = Topic.modelManifest(NS, unknownSha).path();
        payload =
            ("{\"v\":1,\"sha256\":\""
                    + unknownSha
                    + "\",\"size\":"
                    + (random.nextBoolean() ? Long.MAX_VALUE : -1)
                    + ",\"chunkSize\":1,\"chunks\":["
                    + "\"00\",".repeat(random.nextInt(5_000))
                    + "\"00\"]}")
                .getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        topic = Topic.modelChunk(NS, unknownSha, random.nextInt(600)).path();
        payload = randomBytes(1 + random.nextInt(4_096));
      }
      case 4 -> {
        topic =
            "fieldproof/v2/" + NS + "/models/" + unknownSha + "/chunks/" + (-1 - random.nextInt(9));
        payload = randomBytes(16);
      }
      default -> {
        topic =
            "fieldproof/v2/"
                + NS
                + "/models/"
                + unknownSha
                + "/chunks/"
                + (100_000 + random.nextInt());
        payload = randomBytes(16);
      }
    }
    publish(topic, payload, false);
    sentByKind.merge("not-subscribed", 1, Integer::sum);
  }

  /**
   * Publishes on the desired topic past the broker's 1 MiB maximum packet size from a client of its
   * own: the broker refuses it (and closes that client's connection), the agent never sees it.
   */
  private void pastTheBrokersPacketLimit() throws Exception {
    for (int i = 0; i < 3; i++) {
      MqttAsyncClient client =
          new MqttAsyncClient(broker.uri(), "fuzz-big-" + i, new MemoryPersistence());
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      client.connect(options).waitForCompletion(10_000);
      try {
        client
            .publish(desiredTopic.path(), randomBytes(1024 * 1024 + 1 + i * 4096), 1, false)
            .waitForCompletion(5_000);
      } catch (Exception refused) {
        // the broker or the client refuses the packet: what this checks is the agent
      } finally {
        try {
          client.disconnectForcibly(100, 100, false);
        } catch (Exception gone) {
          // already disconnected by the broker
        }
        client.close(true);
      }
      sentByKind.merge("past-max-packet", 1, Integer::sum);
    }
  }

  /** Publishes at QoS 1, letting up to 500 messages wait for their acknowledgement at once. */
  private void publish(String topic, byte[] payload, boolean retained) {
    inFlight.add(operator.publish(topic, payload, retained));
    if (inFlight.size() >= 500) {
      flush();
    }
  }

  private void flush() {
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
        .orTimeout(20, TimeUnit.SECONDS)
        .join();
    inFlight.clear();
  }

  private void awaitCounted() {
    flush();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(counted()).isEqualTo(expected));
  }

  private Map<DropReason, Long> counted() {
    Map<DropReason, Long> counted = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      long count = agent.drops().count(reason);
      if (count > 0) {
        counted.put(reason, count);
      }
    }
    return counted;
  }

  private byte[] wrongType(byte[] valid) {
    ObjectNode tree = tree(valid);
    List<String> fields = new ArrayList<>();
    tree.fieldNames().forEachRemaining(fields::add);
    String field = fields.get(random.nextInt(fields.size()));
    JsonNode replacement =
        switch (random.nextInt(6)) {
          case 0 -> JSON.getNodeFactory().textNode("not-" + field);
          case 1 -> JSON.getNodeFactory().arrayNode().add(1).add("two");
          case 2 -> JSON.getNodeFactory().objectNode().put("a", 1);
          case 3 -> JSON.getNodeFactory().numberNode(random.nextLong());
          case 4 -> JSON.getNodeFactory().booleanNode(true);
          default -> JSON.getNodeFactory().nullNode();
        };
    tree.set(field, replacement);
    return bytes(tree);
  }

  /** A huge string or array in a field, keeping the payload under the codec's limit. */
  private byte[] huge(byte[] valid, boolean array) {
    ObjectNode tree = tree(valid);
    String field = List.of("group", "device", "extra", "model").get(random.nextInt(4));
    if (array) {
      var values = tree.putArray(field);
      for (int i = 0; i < 5_000 + random.nextInt(5_000); i++) {
        values.add(i);
      }
    } else {
      tree.put(field, "x".repeat(30_000 + random.nextInt(30_000)));
    }
    return bytes(tree);
  }

  private byte[] nested(int depth) {
    StringBuilder json = new StringBuilder("{\"v\":1,\"config\":");
    json.append("[".repeat(depth)).append("]".repeat(depth)).append('}');
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] pad(byte[] valid, int size) {
    ObjectNode tree = tree(valid);
    tree.put("pad", "p".repeat(size));
    return bytes(tree);
  }

  private byte[] flipped(byte[] original) {
    byte[] copy = original.clone();
    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
      int at = random.nextInt(copy.length);
      copy[at] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static ObjectNode tree(byte[] json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DesiredState signed(DesiredSigner key, String namespace, DesiredState desired) {
    return key.sign(namespace, desired, TestAgents.signingTime());
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

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(MODELS.resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }
}
