package io.fieldproof.agent.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.agent.flash.esp32.EspRomOptions;
import io.fieldproof.agent.flash.stm32.Stm32BootOptions;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceBootloaders;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.testsupport.ProjectPaths;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bootloader path under faults, per chip: a power cut at 50 random bytes of an update always
 * leaves a device that boots a valid model, and on a corrupting line no corrupted model is ever
 * activated. Devices run firmware without slot commands, so the bootloader is the only path.
 */
class BootloaderUpdateFaultTest {

  private static final ModelUpdater.Settings ONCE =
      new ModelUpdater.Settings(
          1,
          Duration.ofMillis(10),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          Duration.ofMillis(20));

  private static final ModelUpdater.Settings TWICE =
      new ModelUpdater.Settings(
          2,
          Duration.ofMillis(10),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          Duration.ofMillis(20));

  private static byte[] fixture(String name) throws java.io.IOException {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }

  /** Bootloaders with short answer times, so a dead chip is noticed in a fraction of a second. */
  private static BootloaderConnector quick(int attempts) {
    return new ChipBootloaders(
        EspRomOptions.defaults().withAttempts(3, attempts).withReplyTimeout(Duration.ofMillis(300)),
        new Stm32BootOptions(0, 11, Duration.ofMillis(300), attempts, 3, Duration.ofMillis(1)),
        Duration.ofSeconds(2));
  }

  private static DeviceEmulator device(Chip chip, long seed, byte[] model) {
    return DeviceEmulator.builder(chip)
        .seed(seed)
        .runtimeVersion(Hello.RUNTIME_V1)
        .activeModel("old", "1", model)
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = Chip.class,
      names = {"ESP32", "STM32F4"})
  void aPowerCutAtFiftyRandomBytesAlwaysLeavesABootableValidModel(Chip chip) throws Exception {
    byte[] old = fixture("dense_anomaly.tflite");
    byte[] next = fixture("conv1d_vibration.tflite");
    SplittableRandom random = new SplittableRandom(chip.ordinal() * 7919L);
    long programmed = bytesAnUpdatePrograms(chip, old, next);
    int stayedOld = 0;
    int becameNew = 0;
    for (int i = 0; i < 50; i++) {
      DeviceEmulator emulator = device(chip, 700 + i, old);
      long cut = random.nextLong(programmed + programmed / 8);
      try (LineServer bootloader = serve(emulator, LineSettings.ideal())) {
        emulator.cutPowerAfterBytes(cut);
        long resets = emulator.resets();
        UpdateResult result = update(emulator, bootloader, next, quick(1), ONCE);
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.resets() > resets);
        emulator.reset();

        byte[] running = emulator.slots().activeModel().orElseThrow();
        assertThat(sha(running))
            .as("%s cut after %d bytes (%s)", chip, cut, result.lastError())
            .isIn(sha(old), sha(next));
        if (sha(running).equals(sha(next))) {
          becameNew++;
        } else {
          stayedOld++;
          assertThat(result.confirmed()).as("a confirmed update must run").isFalse();
        }
      }
    }
    assertThat(stayedOld).as("cuts that stopped the update").isPositive();
    assertThat(becameNew).as("cuts late enough to keep the new model").isPositive();
  }

  private static LineServer serve(DeviceEmulator emulator, LineSettings line) throws Exception {
    return DeviceBootloaders.serve(emulator, InetAddress.getLoopbackAddress(), 0, line);
  }

  /** Updates {@code emulator} to {@code next} through its bootloader line, no trial. */
  private static UpdateResult update(
      DeviceEmulator emulator,
      LineServer bootloader,
      byte[] next,
      BootloaderConnector connector,
      ModelUpdater.Settings settings)
      throws Exception {
    try (InProcessDeviceLink firmware =
        InProcessDeviceLink.attach(emulator, Duration.ofMillis(300))) {
      UpdateTarget target =
          new UpdateTarget(
              firmware,
              emulator.chip().wireName(),
              firmware.hello().capabilities(),
              bootloader.uri());
      return new ModelUpdater((model, timeout) -> next, connector, settings)
          .update(target, new UpdateRequest(ref(next), null, Duration.ZERO), (phase, d) -> {});
    }
  }

  private static ModelRef ref(byte[] model) {
    return new ModelRef("next", "2", sha(model), model.length);
  }

  /** Bytes a whole update programs (blocks are padded), measured on a device without faults. */
  private static long bytesAnUpdatePrograms(Chip chip, byte[] old, byte[] next) throws Exception {
    DeviceEmulator emulator = device(chip, 699, old);
    long before = emulator.flash().bytesWritten();
    try (LineServer bootloader = serve(emulator, LineSettings.ideal())) {
      UpdateResult result = update(emulator, bootloader, next, quick(6), ONCE);
      assertThat(result.confirmed()).as(String.valueOf(result.lastError())).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !emulator.halted());
    }
    return emulator.flash().bytesWritten() - before;
  }

  @ParameterizedTest
  @EnumSource(
      value = Chip.class,
      names = {"ESP32", "STM32F4"})
  void onACorruptingLineNoCorruptedModelIsEverActivated(Chip chip) throws Exception {
    byte[] old = fixture("dense_anomaly.tflite");
    byte[] next = fixture("ds_cnn_keywords.tflite");
    int confirmed = 0;
    for (int run = 0; run < 6; run++) {
      DeviceEmulator emulator = device(chip, 900 + run, old);
      LineSettings noisy = LineSettings.ideal().withCorruption(1.0 / 800, 77 + run);
      try (LineServer bootloader = serve(emulator, noisy)) {
        UpdateResult result = update(emulator, bootloader, next, quick(6), TWICE);
        assertThat(bootloader.corruptedBytes()).as(result.toString()).isPositive();
        await().atMost(Duration.ofSeconds(5)).until(() -> !emulator.halted());
        emulator.reset();
        byte[] running = emulator.slots().activeModel().orElseThrow();
        assertThat(sha(running)).as(String.valueOf(result.lastError())).isIn(sha(old), sha(next));
        assertThat(emulator.slots().record(emulator.slots().activeSlot().orElseThrow()))
            .hasValueSatisfying(
                r ->
                    assertThat(r.state())
                        .isEqualTo(io.fieldproof.device.protocol.slots.SlotState.VALID));
        if (result.confirmed()) {
          confirmed++;
          assertThat(running).isEqualTo(next);
        } else {
          assertThat(result.reason().isTransient()).as(result.lastError()).isTrue();
        }
      }
    }
    assertThat(confirmed).as("retries carry updates through the noise").isPositive();
  }
}
