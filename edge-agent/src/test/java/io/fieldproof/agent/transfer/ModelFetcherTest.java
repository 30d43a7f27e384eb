package io.fieldproof.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.DropCounter;
import io.fieldproof.agent.store.ContentStore;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.MosquittoBroker;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model transfer against a real Mosquitto: the operator's retained topics, the agent's store. */
class ModelFetcherTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration STALL = Duration.ofSeconds(30);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final long BUDGET = 1024 * 1024;
  private static MosquittoBroker broker;

  @TempDir Path stateDir;

  private final String namespace = "transfer-" + RUNS.incrementAndGet();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final DropCounter drops = new DropCounter();
  private byte[] model;
  private ModelChunks.Split split;
  private OperatorSide operator;

  @BeforeAll
  static void startBroker() {
    broker = MosquittoBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void fixture() throws IOException {
    model =
        Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models/too_large.tflite"));
    split = ModelChunks.split(model, 1024, "frame-classifier", "0.1.0");
    operator = OperatorSide.connect(broker.uri(), namespace);
    resources.push(operator);
  }

  @AfterEach
  void stop() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void fetchesAPublishedModelAndServesItFromTheStoreAfterwards() throws Exception {
    operator.publish(split);
    ModelFetcher fetcher = fetcher(store(), STALL);

    Path file = fetcher.fetch(ref()).get(20, TimeUnit.SECONDS);

    assertThat(split.chunks()).hasSize(20);
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
    assertThat(file).isEqualTo(stateDir.resolve("models").resolve(split.manifest().sha256()));
    assertThat(fetcher.chunkMessages()).isEqualTo(20);
    assertThat(fetcher.progress(split.manifest().sha256())).isEmpty();

    assertThat(fetcher.fetch(ref()).get(20, TimeUnit.SECONDS)).isEqualTo(file);
    assertThat(fetcher.chunkMessages()).as("served from the store").isEqualTo(20);
  }

  @Test
  void concurrentFetchesOfOneModelShareOneTransfer() throws Exception {
    operator.chunks(split, 0, 10);
    operator.manifest(split.manifest());
    ModelFetcher fetcher = fetcher(store(), STALL);
    CompletableFuture<Path> first = fetcher.fetch(ref());
    await().atMost(WAIT).until(() -> fetcher.progress(sha()).orElseThrow(), p -> p.held() == 10);

    CompletableFuture<Path> second = fetcher.fetch(ref());
    operator.chunks(split, 10, 20);

    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(second.get(20, TimeUnit.SECONDS));
    assertThat(fetcher.chunkMessages()).isEqualTo(20);
    assertThat(Files.readAllBytes(first.get())).isEqualTo(model);
  }

  @Test
  void anInterruptedFetchResumesWithOnlyTheMissingChunks() throws Exception {
    operator.manifest(split.manifest());
    operator.chunks(split, 0, 7);
    MqttSession firstSession = OperatorSide.agentSession(broker.uri(), scheduler);
    ModelFetcher first = new ModelFetcher(firstSession, namespace, store(), drops, STALL);
    CompletableFuture<Path> interrupted = first.fetch(ref());
    await()
        .atMost(WAIT)
        .until(() -> first.progress(sha()).orElseThrow(), p -> p.held() == 7 && p.total() == 20);

    first.close();
    firstSession.close();

    assertFailure(interrupted, FetchFailure.ABANDONED);
    assertThat(first.chunkMessages()).isEqualTo(7);
    try (var held = Files.list(stateDir.resolve("models/.partial").resolve(sha()))) {
      assertThat(held.count()).isEqualTo(7);
    }

    operator.chunks(split, 7, 20);
    ModelFetcher second = fetcher(store(), STALL);
    Path file = second.fetch(ref()).get(20, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(file)).isEqualTo(model);
    assertThat(second.chunkMessages()).as("only the 13 missing chunks travel").isEqualTo(13);
  }

  @Test
  void badChunksAreDroppedAndTheModelWaitsForAGoodCopy() throws Exception {
    byte[] flipped = split.chunks().get(2).clone();
    flipped[17] ^= 0x01;
    byte[] truncated = Arrays.copyOf(split.chunks().get(5), 1000);
    operator.chunks(split, 0, 20);
    operator.chunk(split, 2, flipped);
    operator.chunk(split, 5, truncated);
    operator.manifest(split.manifest());
    ModelFetcher fetcher = fetcher(store(), STALL);

    CompletableFuture<Path> fetch = fetcher.fetch(ref());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(fetcher.progress(sha())).hasValue(new FetchProgress(18, 20));
              assertThat(fetcher.rejectedChunks()).isEqualTo(2);
            });
    assertThat(drops.count(DropReason.DIGEST_MISMATCH)).isEqualTo(2);
    assertThat(fetch).isNotDone();
    assertThat(stateDir.resolve("models").resolve(sha())).doesNotExist();

    operator.chunk(split, 2, split.chunks().get(2));
    operator.chunk(split, 5, split.chunks().get(5));

    assertThat(Files.readAllBytes(fetch.get(20, TimeUnit.SECONDS))).isEqualTo(model);
    assertThat(fetcher.chunkMessages()).isEqualTo(22);
  }

  @Test
  void aManifestThatDisagreesWithTheWantedModelFailsForGood() throws Exception {
    operator.publish(split);
    ModelFetcher fetcher = fetcher(store(), STALL);

    CompletableFuture<Path> wrongSize =
        fetcher.fetch(new ModelRef("frame-classifier", "0.1.0", sha(), model.length + 1));

    ModelFetchException failure = assertFailure(wrongSize, FetchFailure.MANIFEST_INVALID);
    assertThat(failure.isTransient()).isFalse();
    assertThat(failure).hasMessageContaining("the manifest says 19792 bytes");
    assertThat(fetcher.chunkMessages()).isZero();
  }

  @Test
  void aManifestThatBreaksTheContractFailsAndIsCounted() throws Exception {
    String wrongCount =
        "{\"v\":1,\"sha256\":\""
            + sha()
            + "\",\"size\":"
            + model.length
            + ",\"chunkSize\":1024,\"chunks\":[\""
            + split.manifest().chunks().get(0)
            + "\"]}";
    operator.manifestPayload(sha(), wrongCount.getBytes(StandardCharsets.UTF_8));
    ModelFetcher fetcher = fetcher(store(), STALL);

    assertFailure(fetcher.fetch(ref()), FetchFailure.MANIFEST_INVALID);
    assertThat(drops.count(DropReason.INVALID_FIELD)).isEqualTo(1);
  }

  @Test
  void aRetractedManifestFailsTheFetch() throws Exception {
    operator.manifest(split.manifest());
    operator.chunks(split, 0, 4);
    ModelFetcher fetcher = fetcher(store(), STALL);
    CompletableFuture<Path> fetch = fetcher.fetch(ref());
    await().atMost(WAIT).until(() -> fetcher.progress(sha()).orElseThrow(), p -> p.held() == 4);

    operator.retractManifest(sha());

    ModelFetchException failure = assertFailure(fetch, FetchFailure.MODEL_RETRACTED);
    assertThat(failure.isTransient()).isFalse();
    assertThat(fetcher.progress(sha())).isEmpty();
  }

  @Test
  void aModelWhoseManifestNeverComesTimesOut() throws Exception {
    ModelFetcher fetcher = fetcher(store(), Duration.ofMillis(500));

    ModelFetchException failure =
        assertFailure(fetcher.fetch(ref()), FetchFailure.DOWNLOAD_TIMEOUT);

    assertThat(failure.isTransient()).isTrue();
    assertThat(failure).hasMessageContaining("0 of 0 chunks held");
  }

  @Test
  void aModelLargerThanTheStoreIsTooLargeAndOneThatDoesNotFitYetIsStoreFull() throws Exception {
    operator.publish(split);

    assertFailure(
        fetcher(ContentStore.open(stateDir.resolve("small"), 10_000), STALL).fetch(ref()),
        FetchFailure.TOO_LARGE);
    assertFailure(
        fetcher(store(), STALL).fetch(new ModelRef("m", "1", sha(), 5L * 1024 * 1024)),
        FetchFailure.TOO_LARGE);

    ContentStore tight = ContentStore.open(stateDir.resolve("tight"), 30_000);
    tight.partial("a".repeat(64)).put(0, new byte[15_000]);
    ModelFetcher fetcher = fetcher(tight, STALL);
    ModelFetchException full = assertFailure(fetcher.fetch(ref()), FetchFailure.STORE_FULL);
    assertThat(full.isTransient()).isTrue();

    tight.retainOnly(java.util.Set.of());
    assertThat(Files.readAllBytes(fetcher.fetch(ref()).get(20, TimeUnit.SECONDS))).isEqualTo(model);
  }

  @Test
  void aStoredModelThatRottedIsFetchedAgain() throws Exception {
    operator.publish(split);
    ModelFetcher fetcher = fetcher(store(), STALL);
    Path file = fetcher.fetch(ref()).get(20, TimeUnit.SECONDS);
    byte[] rotten = model.clone();
    rotten[0] ^= 0x7f;
    Files.write(file, rotten);

    Path again = fetcher.fetch(ref()).get(20, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(again)).isEqualTo(model);
    assertThat(fetcher.chunkMessages()).isEqualTo(40);
  }

  @Test
  void aBadRefFailsWithoutTouchingTheBroker() throws Exception {
    ModelFetcher fetcher = fetcher(store(), STALL);

    assertFailure(
        fetcher.fetch(new ModelRef("m", "1", "not-a-sha", 10)), FetchFailure.MANIFEST_INVALID);
    assertFailure(fetcher.fetch(null), FetchFailure.MANIFEST_INVALID);
  }

  private ModelFetcher fetcher(ContentStore store, Duration stall) throws IOException {
    MqttSession session = OperatorSide.agentSession(broker.uri(), scheduler);
    resources.push(session);
    ModelFetcher fetcher = new ModelFetcher(session, namespace, store, drops, stall);
    resources.push(fetcher);
    return fetcher;
  }

  private ContentStore store() throws IOException {
    return ContentStore.open(stateDir, BUDGET);
  }

  private ModelRef ref() {
    return new ModelRef("frame-classifier", "0.1.0", sha(), model.length);
  }

  private String sha() {
    return split.manifest().sha256();
  }

  private static ModelFetchException assertFailure(
      CompletableFuture<Path> fetch, FetchFailure expected) {
    ModelFetchException[] caught = new ModelFetchException[1];
    assertThatThrownBy(() -> fetch.orTimeout(20, TimeUnit.SECONDS).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ModelFetchException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(expected);
              caught[0] = e;
            });
    return caught[0];
  }
}
