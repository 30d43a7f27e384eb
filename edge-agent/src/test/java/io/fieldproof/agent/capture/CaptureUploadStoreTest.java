package io.fieldproof.agent.capture;

import static io.fieldproof.agent.capture.TestWindows.NOON;
import static io.fieldproof.agent.capture.TestWindows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.EdgeAgent;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.testsupport.SeaweedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The agent's capture upload against a real SeaweedFS (test/support starts it, built from its Go
 * module): windows arrive as objects with their metadata, wait on disk while the store is down and
 * go up once it is back, and a wrong key is refused by the store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureUploadStoreTest {

  private static final String BUCKET = "fieldproof-captures";
  private static final CaptureBudget BUDGET = new CaptureBudget(10_000_000, 100_000_000);
  private static SeaweedStore store;
  private static S3Client reader;

  @TempDir Path stateDir;

  @BeforeAll
  static void startStore() {
    store = SeaweedStore.start(BUCKET);
    reader = store.client(store.adminKey());
  }

  @AfterAll
  static void stopStore() {
    if (reader != null) {
      reader.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static AgentConfig.CaptureStore config(SeaweedStore.Key key) {
    return new AgentConfig.CaptureStore(
        store.endpoint(),
        BUCKET,
        "us-east-1",
        key.accessKeyId(),
        key.secretAccessKey().toCharArray(),
        64L * 1024 * 1024,
        Duration.ofMillis(100),
        Duration.ofSeconds(1));
  }

  private CaptureUpload start(SeaweedStore.Key key, String gateway) throws Exception {
    return CaptureUpload.start(config(key), "plant-a", gateway, stateDir, Clock.systemUTC());
  }

  /** Where the windows of {@code device} in group pumps, alarm trigger, go. */
  private static String prefix(String device) {
    return "plant-a/pumps/" + "ab".repeat(32) + "/alarm/" + device + "/";
  }

  private static List<S3Object> objects(String prefix) {
    return reader.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents();
  }

  @Test
  @Order(1)
  void windowsArriveAsObjectsWithTheirMetadataAndBodies() throws Exception {
    CapturedWindow alarm = window("esp32-000000000001", "pumps", 2_000, NOON);
    CapturedWindow other = window("esp32-000000000002", "pumps", 3_000, NOON.plusSeconds(30));
    try (CaptureUpload upload = start(store.writerKey(), "gw-meta")) {
      upload.sink().accept(alarm, BUDGET);
      upload.sink().accept(other, BUDGET);

      await().atMost(Duration.ofSeconds(30)).until(() -> upload.uploaded() == 2);
      assertThat(upload.waiting()).isZero();
      // what the agent reports in each device's health.capture
      assertThat(upload.sink().counts("esp32-000000000001"))
          .isEqualTo(new DeviceCaptureCounts(1, Map.of()));
    }

    List<S3Object> listed = objects(prefix("esp32-000000000001"));
    assertThat(listed).hasSize(1);
    String key = listed.get(0).key();
    assertThat(key)
        .isEqualTo(
            prefix("esp32-000000000001")
                + NOON.toEpochMilli()
                + "-"
                + CaptureKey.digestOf(alarm.body())
                + ".json");
    ResponseBytes<GetObjectResponse> object =
        reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    assertThat(object.asByteArray()).isEqualTo(alarm.body());
    HeadObjectResponse head = reader.headObject(b -> b.bucket(BUCKET).key(key));
    assertThat(head.contentType()).isEqualTo("application/json");
    Map<String, String> metadata = head.metadata();
    assertThat(metadata)
        .containsEntry("namespace", "plant-a")
        .containsEntry("device", "esp32-000000000001")
        .containsEntry("gateway", "gw-1")
        .containsEntry("group", "pumps")
        .containsEntry("model-sha256", alarm.modelSha256())
        .containsEntry("config-generation", "7")
        .containsEntry("trigger", "alarm")
        .containsEntry("chip", "esp32")
        .containsEntry("triggered-at", "2026-12-06T12:00:00Z")
        .containsEntry("window-start", "2026-12-06T11:59:55Z")
        .containsEntry("window-end", "2026-12-06T12:00:05Z")
        .containsKey("accepted-at");
    assertThat(objects(prefix("esp32-000000000002"))).hasSize(1);
  }

  @Test
  @Order(2)
  void aWindowUploadedAgainAfterACrashLandsOnTheSameObject() throws Exception {
    CapturedWindow window = window("esp32-000000000009", "pumps", 1_000, NOON.plusSeconds(90));
    try (CaptureUpload upload = start(store.writerKey(), "gw-crash")) {
      upload.sink().accept(window, BUDGET);
      await().atMost(Duration.ofSeconds(30)).until(() -> upload.uploaded() == 1);
    }
    // a crash between the PUT and the deletion leaves the window spooled: it goes up again
    Path other = stateDir.resolve("second-run");
    try (CaptureUpload again =
        CaptureUpload.start(
            config(store.writerKey()), "plant-a", "gw-crash", other, Clock.systemUTC())) {
      again.sink().accept(window, BUDGET);
      await().atMost(Duration.ofSeconds(30)).until(() -> again.uploaded() == 1);
    }

    assertThat(objects(prefix("esp32-000000000009"))).hasSize(1);
  }

  @Test
  @Order(3)
  void theStoreRefusesAWrongKeyAndTheWindowsWaitOnDisk() throws Exception {
    SeaweedStore.Key wrong =
        new SeaweedStore.Key(store.writerKey().accessKeyId(), "not-the-secret-of-this-key");
    try (CaptureUpload upload = start(wrong, "gw-wrong")) {
      upload.sink().accept(window("esp32-000000000005", "pumps", 1_000, NOON), BUDGET);

      await().atMost(Duration.ofSeconds(30)).until(() -> upload.failedAttempts() >= 2);
      assertThat(upload.uploaded()).isZero();
      assertThat(upload.waiting()).isEqualTo(1);
      assertThat(upload.drops().total()).isZero();
    }
    assertThat(objects(prefix("esp32-000000000005"))).isEmpty();
    try (S3Client forger = store.client(wrong)) {
      assertThatThrownBy(
              () ->
                  forger.putObject(
                      b -> b.bucket(BUCKET).key("forged.json"), RequestBody.fromString("{}")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  @Order(4)
  void theAgentsKeyMayWriteItsBucketOnlyNeverReadOrList() {
    try (S3Client agent = store.client(store.writerKey())) {
      assertThatThrownBy(() -> agent.listObjectsV2(b -> b.bucket(BUCKET)))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> agent.createBucket(b -> b.bucket("elsewhere")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  @Order(5)
  void windowsSpooledWhileTheStoreIsDownSurviveAnAgentRestartAndGoUpWhenItIsBack()
      throws Exception {
    store.stop();
    try {
      try (CaptureUpload upload = start(store.writerKey(), "gw-outage")) {
        upload.sink().accept(window("esp32-000000000007", "pumps", 1_500, NOON), BUDGET);
        upload
            .sink()
            .accept(window("esp32-000000000007", "pumps", 1_500, NOON.plusSeconds(1)), BUDGET);
        await().atMost(Duration.ofSeconds(30)).until(() -> upload.failedAttempts() >= 2);
        assertThat(upload.waiting()).isEqualTo(2);
      }
      // the agent restarts while the store is still down: the windows come back from disk
      try (CaptureUpload restarted = start(store.writerKey(), "gw-outage")) {
        assertThat(restarted.waiting()).isEqualTo(2);
        restarted
            .sink()
            .accept(window("esp32-000000000007", "pumps", 1_500, NOON.plusSeconds(2)), BUDGET);
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.failedAttempts() >= 1);

        store.startAgain();

        await().atMost(Duration.ofSeconds(60)).until(() -> restarted.uploaded() == 3);
        assertThat(restarted.waiting()).isZero();
        assertThat(restarted.drops().total()).isZero();
      }
    } finally {
      if (!reachable()) {
        store.startAgain();
      }
    }
    assertThat(objects(prefix("esp32-000000000007"))).hasSize(3);
  }

  @Test
  @Order(6)
  void anAgentWhoseConfigNamesTheStoreUploadsWhatItsSinkTakes() throws Exception {
    AgentConfig.Broker broker =
        new AgentConfig.Broker(
            "tcp://127.0.0.1:1",
            null,
            null,
            null,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            Duration.ofMillis(500));
    AgentConfig withStore =
        new AgentConfig(
            "gw-agent",
            "plant-a",
            broker,
            stateDir.resolve("agent"),
            Duration.ofSeconds(10),
            100,
            List.of(),
            AgentConfig.Trust.anything(),
            config(store.writerKey()));
    AgentConfig withoutStore =
        new AgentConfig(
            "gw-plain",
            "plant-a",
            broker,
            stateDir.resolve("plain"),
            Duration.ofSeconds(10),
            100,
            List.of(),
            AgentConfig.Trust.anything());

    try (EdgeAgent plain = new EdgeAgent(withoutStore, link -> null, Clock.systemUTC())) {
      assertThat(plain.captureUpload()).isEmpty();
    }
    try (EdgeAgent agent = new EdgeAgent(withStore, link -> null, Clock.systemUTC())) {
      CaptureUpload upload = agent.captureUpload().orElseThrow();
      upload.sink().accept(window("esp32-000000000008", "pumps", 1_000, NOON), BUDGET);
      await().atMost(Duration.ofSeconds(30)).until(() -> upload.uploaded() == 1);
    }
    assertThat(stateDir.resolve("agent").resolve(CaptureUpload.FOLDER)).isDirectory();
    assertThat(objects(prefix("esp32-000000000008"))).hasSize(1);
  }

  private static boolean reachable() {
    try {
      reader.headBucket(b -> b.bucket(BUCKET));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
