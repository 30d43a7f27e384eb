package io.fieldproof.agent.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceBootloaders;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.testsupport.ProjectPaths;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rollback without a download: a device updated from model X to Y and then asked for X again goes
 * back to the X its other slot still holds, checked on the device, with no download and no write of
 * the slot; when those bytes are damaged the agent downloads and writes X as usual. Through the
 * firmware (runtime v2) and through the ROM bootloaders (runtime v1).
 */
class SlotSwitchTest {

  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");
  private static final String X = "dense_anomaly";
  private static final String Y = "logistic_temperature";
  private static final ModelUpdater.Settings FAST =
      new ModelUpdater.Settings(
          4,
          Duration.ofMillis(20),
          Duration.ofMinutes(1),
          Duration.ofSeconds(5),
          Duration.ofMillis(50));

  private final List<String> trace = new CopyOnWriteArrayList<>();
  private final List<UpdatePhase> phases = new CopyOnWriteArrayList<>();
  private final UpdateListener listener =
      (phase, detail) -> {
        phases.add(phase);
        trace.add(phase + " " + detail);
      };
  private final AtomicInteger downloads = new AtomicInteger();

  @Test
  void theFirmwareSwitchesBackToTheOtherSlotWithoutADownloadOrAWrite() throws Exception {
    DeviceEmulator emulator = inAppDevice(11);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofSeconds(2))) {
      UpdateTarget target = new UpdateTarget(link, "esp32", link.hello().capabilities(), null);
      assertThat(updater(serving()).update(target, request(Y), listener).confirmed()).isTrue();
      byte[][] slotsBefore = slotBytes(emulator);
      phases.clear();

      UpdateResult result = updater(counting()).update(target, request(X), listener);

      assertThat(result.confirmed()).as(result + "\n" + String.join("\n", trace)).isTrue();
      assertThat(result.path()).isEqualTo("slot-switch");
      assertThat(downloads).as("the model source was never asked").hasValue(0);
      assertThat(slotBytes(emulator)).as("neither slot was written").isEqualTo(slotsBefore);
      assertThat(running(emulator)).isEqualTo(sha(X));
      assertThat(emulator.slots().activeSlot()).hasValue(ModelSlots.A);
      assertThat(emulator.slots().record(ModelSlots.A).orElseThrow().state())
          .isEqualTo(SlotState.VALID);
      assertThat(phases)
          .containsSubsequence(
              UpdatePhase.Verifying,
              UpdatePhase.SelfTesting,
              UpdatePhase.Activating,
              UpdatePhase.Trial,
              UpdatePhase.Confirmed)
          .doesNotContain(UpdatePhase.Downloading, UpdatePhase.Writing);
      assertThat(trace).contains("Verifying switching back to slot A, already holds " + sha(X));
      assertThat(emulator.resets()).isZero();
    }
  }

  @Test
  void aDamagedOtherSlotIsDownloadedAndWrittenAgain() throws Exception {
    DeviceEmulator emulator = inAppDevice(12);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofSeconds(2))) {
      UpdateTarget target = new UpdateTarget(link, "esp32", link.hello().capabilities(), null);
      assertThat(updater(serving()).update(target, request(Y), listener).confirmed()).isTrue();
      damage(emulator, ModelSlots.A);
      trace.clear();

      UpdateResult result = updater(countingServing()).update(target, request(X), listener);

      assertThat(result.confirmed()).as(result + "\n" + String.join("\n", trace)).isTrue();
      assertThat(result.path()).isEqualTo("in-app");
      assertThat(downloads).hasValue(1);
      assertThat(trace).anyMatch(t -> t.startsWith("Verifying slot A hashes to "));
      assertThat(trace).anyMatch(t -> t.startsWith("Writing slot A"));
      assertThat(running(emulator)).isEqualTo(sha(X));
      assertThat(emulator.slots().read(ModelSlots.A, fixture(X).length)).isEqualTo(fixture(X));
    }
  }

  @Test
  void aSelfTestMismatchOnTheOtherSlotEndsTheUpdateWithoutADownload() throws Exception {
    DeviceEmulator emulator = inAppDevice(13);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofSeconds(2))) {
      UpdateTarget target = new UpdateTarget(link, "esp32", link.hello().capabilities(), null);
      assertThat(updater(serving()).update(target, request(Y), listener).confirmed()).isTrue();
      emulator.skewSelfTests(3);

      UpdateResult result = updater(counting()).update(target, request(X), listener);

      assertThat(result.reason()).isEqualTo(UpdateReason.SelfTestMismatch);
      assertThat(result.path()).isEqualTo("slot-switch");
      assertThat(downloads).hasValue(0);
      assertThat(running(emulator)).isEqualTo(sha(Y));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Chip.class,
      names = {"ESP32", "STM32F4"})
  void theBootloaderFlipsTheRecordBackWithoutADownloadOrAWriteOfTheSlot(Chip chip)
      throws Exception {
    DeviceEmulator emulator = bootloaderDevice(chip, 21);
    try (LineServer bootloader = serveBootloader(emulator);
        InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofMillis(300))) {
      UpdateTarget target =
          new UpdateTarget(link, chip.wireName(), link.hello().capabilities(), bootloader.uri());
      assertThat(updater(serving()).update(target, request(Y), listener).confirmed()).isTrue();
      awaitFirmware(emulator);
      byte[][] slotsBefore = slotBytes(emulator);
      phases.clear();

      UpdateResult result = updater(counting()).update(target, request(X), listener);

      assertThat(result.confirmed()).as(result + "\n" + String.join("\n", trace)).isTrue();
      assertThat(result.path()).isEqualTo("bootloader-slot-switch");
      assertThat(downloads).hasValue(0);
      awaitFirmware(emulator);
      assertThat(slotBytes(emulator)).as("neither slot was written").isEqualTo(slotsBefore);
      assertThat(running(emulator)).isEqualTo(sha(X));
      assertThat(emulator.slots().record(ModelSlots.A).orElseThrow().state())
          .isEqualTo(SlotState.VALID);
      assertThat(phases)
          .containsSubsequence(
              UpdatePhase.Verifying,
              UpdatePhase.Validating,
              UpdatePhase.Activating,
              UpdatePhase.Trial,
              UpdatePhase.Confirmed)
          .doesNotContain(UpdatePhase.Downloading, UpdatePhase.Writing);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Chip.class,
      names = {"ESP32", "STM32F4"})
  void aDamagedOtherSlotIsWrittenAgainThroughTheBootloader(Chip chip) throws Exception {
    DeviceEmulator emulator = bootloaderDevice(chip, 22);
    try (LineServer bootloader = serveBootloader(emulator);
        InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofMillis(300))) {
      UpdateTarget target =
          new UpdateTarget(link, chip.wireName(), link.hello().capabilities(), bootloader.uri());
      assertThat(updater(serving()).update(target, request(Y), listener).confirmed()).isTrue();
      awaitFirmware(emulator);
      damage(emulator, ModelSlots.A);
      trace.clear();

      UpdateResult result = updater(countingServing()).update(target, request(X), listener);

      assertThat(result.confirmed()).as(result + "\n" + String.join("\n", trace)).isTrue();
      assertThat(result.path()).isEqualTo("bootloader");
      assertThat(downloads).hasValue(1);
      assertThat(trace).anyMatch(t -> t.startsWith("Verifying slot A reads back as "));
      awaitFirmware(emulator);
      assertThat(running(emulator)).isEqualTo(sha(X));
      assertThat(emulator.slots().read(ModelSlots.A, fixture(X).length)).isEqualTo(fixture(X));
    }
  }

  private static DeviceEmulator inAppDevice(long seed) throws Exception {
    return DeviceEmulator.builder(Chip.ESP32).seed(seed).activeModel(X, "1", fixture(X)).build();
  }

  private static DeviceEmulator bootloaderDevice(Chip chip, long seed) throws Exception {
    return DeviceEmulator.builder(chip)
        .seed(seed)
        .runtimeVersion(Hello.RUNTIME_V1)
        .activeModel(X, "1", fixture(X))
        .build();
  }

  private static LineServer serveBootloader(DeviceEmulator emulator) throws Exception {
    return DeviceBootloaders.serve(
        emulator, InetAddress.getLoopbackAddress(), 0, LineSettings.ideal());
  }

  /** Leaving the bootloader resets the chip when the line server notices; wait for that. */
  private static void awaitFirmware(DeviceEmulator emulator) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !emulator.halted());
  }

  private static ModelUpdater updater(ModelSource source) {
    return new ModelUpdater(source, ChipBootloaders.defaults(), FAST);
  }

  /** Serves the fixtures by sha256, as the chunk transfer would. */
  private static ModelSource serving() {
    return (model, timeout) -> {
      for (String name : List.of(X, Y)) {
        if (sha(name).equals(model.sha256())) {
          return fixture(name);
        }
      }
      throw new UpdateException(UpdateReason.DownloadFailed, "no such model " + model.sha256());
    };
  }

  /** Counts every download and fails it: a test that must not download fails if one happens. */
  private ModelSource counting() {
    return (model, timeout) -> {
      downloads.incrementAndGet();
      throw new UpdateException(UpdateReason.ModelUnavailable, "this test must not download");
    };
  }

  private ModelSource countingServing() {
    ModelSource serving = serving();
    return (model, timeout) -> {
      downloads.incrementAndGet();
      return serving.fetch(model, timeout);
    };
  }

  private static UpdateRequest request(String name) throws UpdateException {
    byte[] bytes = fixture(name);
    return new UpdateRequest(
        new ModelRef(name, "1", sha(name), bytes.length), golden(name), Duration.ofMillis(200));
  }

  /** The first two golden vectors tflite-micro computed for a fixture. */
  private static SelfTest golden(String name) {
    try {
      JsonNode vectors =
          new ObjectMapper()
              .readTree(MODELS.resolve(name + ".golden.json").toFile())
              .get("vectors");
      List<SelfTest.Vector> list = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        list.add(
            new SelfTest.Vector(
                ints(vectors.get(i).get("input").get(0)),
                ints(vectors.get(i).get("output").get(0))));
      }
      return new SelfTest(0, list);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }

  /** Clears a set byte in the middle of {@code slot}: its record stays intact, its digest not. */
  private static void damage(DeviceEmulator emulator, int slot) {
    SlotLayout layout = emulator.slots().layout();
    byte[] model = emulator.slots().read(slot, 1024);
    int at = 512;
    while (model[at] == 0) {
      at++;
    }
    emulator.flash().write(layout.slotOffset(slot) + at, new byte[] {0}, 0, 1);
  }

  /** Both slots' whole contents. */
  private static byte[][] slotBytes(DeviceEmulator emulator) {
    SlotLayout layout = emulator.slots().layout();
    return new byte[][] {
      emulator.flash().read(layout.slotOffset(ModelSlots.A), layout.slotSize()),
      emulator.flash().read(layout.slotOffset(ModelSlots.B), layout.slotSize())
    };
  }

  private static String running(DeviceEmulator emulator) {
    return HexFormat.of()
        .formatHex(ModelSlots.sha256(emulator.slots().activeModel().orElseThrow()));
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(MODELS.resolve(name + ".tflite"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String sha(String name) {
    return HexFormat.of().formatHex(ModelSlots.sha256(fixture(name)));
  }
}
