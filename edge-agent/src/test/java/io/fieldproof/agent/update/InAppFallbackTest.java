package io.fieldproof.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceBootloaders;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.testsupport.ProjectPaths;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recovery: the firmware hangs in the middle of an in-app write; the in-app attempts time out and
 * the agent falls back to the chip's ROM bootloader, which resets the chip out of its hang, writes
 * the model and hands it to the firmware again for the self-test, trial and confirmation.
 */
class InAppFallbackTest {

  private static final ModelUpdater.Settings FOUR =
      new ModelUpdater.Settings(
          4,
          Duration.ofMillis(20),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          Duration.ofMillis(50));

  @ParameterizedTest
  @EnumSource(
      value = Chip.class,
      names = {"ESP32", "STM32F4"})
  void aHungFirmwareIsRecoveredThroughTheBootloader(Chip chip) throws Exception {
    byte[] old = fixture("dense_anomaly.tflite");
    byte[] next = fixture("conv1d_vibration.tflite");
    DeviceEmulator emulator =
        DeviceEmulator.builder(chip).seed(61).activeModel("old", "1", old).build();
    List<String> trace = new CopyOnWriteArrayList<>();
    UpdateListener hangOnFirstWrite =
        new UpdateListener() {
          @Override
          public void phase(UpdatePhase phase, String detail) {
            trace.add(phase + " " + detail);
          }

          @Override
          public void progress(long done, long total) {
            if (trace.stream().noneMatch(t -> t.contains("bootloader"))) {
              emulator.hang();
            }
          }
        };
    try (LineServer bootloader =
            DeviceBootloaders.serve(
                emulator, InetAddress.getLoopbackAddress(), 0, LineSettings.ideal());
        InProcessDeviceLink firmware =
            InProcessDeviceLink.attach(emulator, Duration.ofMillis(300))) {
      UpdateResult result =
          new ModelUpdater((m, t) -> next, ChipBootloaders.defaults(), FOUR)
              .update(
                  new UpdateTarget(
                      firmware, chip.wireName(), firmware.hello().capabilities(), bootloader.uri()),
                  new UpdateRequest(
                      new ModelRef("next", "2", sha(next), next.length), null, Duration.ZERO),
                  hangOnFirstWrite);

      assertThat(result.confirmed()).as(result + "\n" + String.join("\n", trace)).isTrue();
      assertThat(result.path()).isEqualTo("bootloader");
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(emulator.halted()).isFalse();
      assertThat(sha(emulator.slots().activeModel().orElseThrow())).isEqualTo(sha(next));
    }
  }

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }
}
