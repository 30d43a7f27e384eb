package io.fieldproof.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The update flow through the firmware (in-app path) against emulated devices: every phase is
 * reported, good models are confirmed, and every kind of bad model or bad device ends with the
 * previous model running and a reason code.
 */
class ModelUpdaterInAppTest {

  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ModelUpdater.Settings FAST =
      new ModelUpdater.Settings(
          3,
          Duration.ofMillis(20),
          Duration.ofMinutes(1),
          Duration.ofSeconds(5),
          Duration.ofMillis(50));

  private final List<UpdatePhase> phases = new CopyOnWriteArrayList<>();
  private final UpdateListener listener = (phase, detail) -> phases.add(phase);

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(MODELS.resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }

  private static ModelRef ref(String file, String version) throws Exception {
    byte[] bytes = fixture(file);
    return new ModelRef(file, version, sha(bytes), bytes.length);
  }

  /** The golden vectors tflite-micro computed for a fixture, as a desired state carries them. */
  private static SelfTest golden(String name, int tolerance) throws Exception {
    JsonNode vectors = new ObjectMapper().readTree(MODELS.resolve(name).toFile()).get("vectors");
    List<SelfTest.Vector> list = new ArrayList<>();
    for (int i = 0; i < Math.min(4, vectors.size()); i++) {
      list.add(
          new SelfTest.Vector(
              ints(vectors.get(i).get("input").get(0)), ints(vectors.get(i).get("output").get(0))));
    }
    return new SelfTest(tolerance, list);
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }

  /** Serves fixture files by sha256, as the chunk transfer would after verifying them. */
  private static ModelSource fixtures() {
    return (model, timeout) -> {
      try (var files = Files.list(MODELS)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".tflite")).toList()) {
          byte[] bytes = Files.readAllBytes(file);
          if (sha(bytes).equals(model.sha256())) {
            return bytes;
          }
        }
      } catch (java.io.IOException e) {
        throw new UpdateException(UpdateReason.DownloadFailed, e.getMessage(), e);
      }
      throw new UpdateException(UpdateReason.DownloadFailed, "no such model " + model.sha256());
    };
  }

  private static DeviceEmulator device(long seed) throws Exception {
    return DeviceEmulator.builder(Chip.ESP32)
        .seed(seed)
        .activeModel("dense_anomaly.tflite", "1", fixture("dense_anomaly.tflite"))
        .build();
  }

  private UpdateResult update(DeviceEmulator emulator, InProcessDeviceLink link, UpdateRequest r)
      throws Exception {
    UpdateTarget target = new UpdateTarget(link, "esp32", link.hello().capabilities(), null);
    return new ModelUpdater(fixtures(), (uri, chip) -> null, FAST).update(target, r, listener);
  }

  private static String running(DeviceEmulator emulator) {
    return sha(emulator.slots().activeModel().orElseThrow());
  }

  @Test
  void aGoodModelGoesThroughEveryPhaseAndIsConfirmedWithoutAReset() throws Exception {
    DeviceEmulator emulator = device(1);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      UpdateRequest request =
          new UpdateRequest(
              ref("conv1d_vibration.tflite", "2"),
              golden("conv1d_vibration.golden.json", 0),
              Duration.ofMillis(300));

      UpdateResult result = update(emulator, link, request);

      assertThat(result.confirmed()).as(result.message()).isTrue();
      assertThat(result.path()).isEqualTo("in-app");
      assertThat(phases)
          .containsSubsequence(
              UpdatePhase.Downloading,
              UpdatePhase.Validating,
              UpdatePhase.Writing,
              UpdatePhase.Verifying,
              UpdatePhase.SelfTesting,
              UpdatePhase.Activating,
              UpdatePhase.Trial,
              UpdatePhase.Confirmed);
      assertThat(running(emulator)).isEqualTo(sha(fixture("conv1d_vibration.tflite")));
      assertThat(link.hello().slots().activeState()).isEqualTo("VALID");
      assertThat(emulator.resets()).as("the in-app path needs no reset").isZero();
    }
  }

  @Test
  void aSelfTestMismatchOnTheDeviceIsRevertedAndReported() throws Exception {
    DeviceEmulator emulator = device(2);
    emulator.skewSelfTests(3);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      UpdateResult result =
          update(
              emulator,
              link,
              new UpdateRequest(
                  ref("conv1d_vibration.tflite", "2"),
                  golden("conv1d_vibration.golden.json", 1),
                  Duration.ofMillis(100)));

      assertThat(result.phase()).isEqualTo(UpdatePhase.Reverted);
      assertThat(result.reason()).isEqualTo(UpdateReason.SelfTestMismatch);
      assertThat(result.lastError()).contains("tolerance 1");
      assertThat(running(emulator)).isEqualTo(sha(fixture("dense_anomaly.tflite")));
      assertThat(phases).doesNotContain(UpdatePhase.Activating);
    }
  }

  @Test
  void aResetDuringTheTrialRevertsToThePreviousModel() throws Exception {
    DeviceEmulator emulator = device(3);
    UpdateListener resetOnTrial =
        (phase, detail) -> {
          phases.add(phase);
          if (phase == UpdatePhase.Trial) {
            emulator.reset();
          }
        };
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      UpdateTarget target = new UpdateTarget(link, "esp32", link.hello().capabilities(), null);
      UpdateResult result =
          new ModelUpdater(fixtures(), (uri, chip) -> null, FAST)
              .update(
                  target,
                  new UpdateRequest(
                      ref("conv1d_vibration.tflite", "2"), null, Duration.ofMillis(300)),
                  resetOnTrial);

      assertThat(result.phase()).isEqualTo(UpdatePhase.Reverted);
      assertThat(result.reason()).isEqualTo(UpdateReason.TrialFailed);
      assertThat(running(emulator)).isEqualTo(sha(fixture("dense_anomaly.tflite")));
    }
  }

  @Test
  void badModelsFailBeforeAnythingIsWritten() throws Exception {
    DeviceEmulator emulator = device(4);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      long written = emulator.flash().bytesWritten();
      byte[] dense = fixture("dense_anomaly.tflite");
      List<UpdateRequest> bad =
          List.of(
              new UpdateRequest(ref("float_model.tflite", "1"), null, Duration.ZERO),
              new UpdateRequest(ref("too_large.tflite", "1"), null, Duration.ZERO),
              new UpdateRequest(
                  new ModelRef("x", "1", sha(fixture("conv1d_vibration.tflite")), dense.length),
                  null,
                  Duration.ZERO),
              new UpdateRequest(
                  ref("conv1d_vibration.tflite", "2"),
                  golden("dense_anomaly.golden.json", 0),
                  Duration.ZERO),
              new UpdateRequest(
                  new ModelRef("gone", "1", "0".repeat(64), 10), null, Duration.ZERO));
      List<UpdateReason> reasons = new ArrayList<>();
      for (UpdateRequest request : bad) {
        UpdateResult result = update(emulator, link, request);
        assertThat(result.phase()).as(result.message()).isEqualTo(UpdatePhase.Failed);
        reasons.add(result.reason());
      }

      assertThat(reasons)
          .containsExactly(
              UpdateReason.ModelRejected,
              UpdateReason.DoesNotFit,
              UpdateReason.DigestMismatch,
              UpdateReason.SelfTestMismatch,
              UpdateReason.DownloadFailed);
      assertThat(emulator.flash().bytesWritten()).as("nothing was flashed").isEqualTo(written);
      assertThat(running(emulator)).isEqualTo(sha(dense));
    }
  }

  @Test
  void firmwareWithoutSlotCommandsAndNoBootloaderLineHasNoUpdatePath() throws Exception {
    DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32F4)
            .seed(5)
            .runtimeVersion(Hello.RUNTIME_V1)
            .activeModel("dense_anomaly.tflite", "1", fixture("dense_anomaly.tflite"))
            .build();
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      UpdateTarget target = new UpdateTarget(link, "stm32f4", link.hello().capabilities(), null);
      UpdateResult result =
          new ModelUpdater(fixtures(), (uri, chip) -> null, FAST)
              .update(
                  target,
                  new UpdateRequest(ref("conv1d_vibration.tflite", "2"), null, Duration.ZERO),
                  listener);

      assertThat(result.reason()).isEqualTo(UpdateReason.NoUpdatePath);
    }
  }
}
