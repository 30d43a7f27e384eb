package io.fieldproof.agent.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorMain;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.RuntimeConfigs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An emulator given a flash file is the same chip when started again on it: a restart is a reboot,
 * with its slots and records and the boot rules, not a new blank chip; without a file it stays the
 * blank chip it always was. Checked in process and with EmulatorMain's {@code --flash-file} across
 * a killed process.
 */
class FlashFileRestartTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  @TempDir Path dir;

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(MODELS.resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }

  private DeviceEmulator esp32(Path flashFile) throws IOException {
    DeviceEmulator.Builder builder =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(7)
            .activeModel("dense-anomaly", "1.0.0", fixture("dense_anomaly.tflite"));
    return (flashFile == null ? builder : builder.flashFile(flashFile)).build();
  }

  /** Writes {@code model} into slot B in app and activates it; confirms it when asked. */
  private static SlotTable update(DeviceLink link, byte[] model, boolean confirm) throws Exception {
    RuntimeSlotSession session = new RuntimeSlotSession(link);
    session.write("B", model, FlashProgress.NONE);
    SlotTable table =
        session.activate(
            new SlotMessages.ActivateRequest("B", model.length, sha(model), "cold-room", "2.0.0"));
    return confirm ? session.confirm() : table;
  }

  @Test
  void aConfirmedModelRunsAgainWhenANewEmulatorOpensTheFile() throws Exception {
    Path file = dir.resolve("esp32.flash");
    byte[] next = fixture("logistic_temperature.tflite");
    try (DeviceEmulator first = esp32(file);
        InProcessDeviceLink link = InProcessDeviceLink.attach(first, TIMEOUT)) {
      link.configure(1, RuntimeConfigs.withInputs("temperature_c"));
      assertThat(update(link, next, true).activeState()).isEqualTo("VALID");
    }

    try (DeviceEmulator again = esp32(file)) {
      SlotTable slots = again.hello().slots();
      assertThat(slots.active()).isEqualTo("B");
      assertThat(slots.activeState()).isEqualTo("VALID");
      assertThat(slots.b().sha256()).isEqualTo(sha(next));
      assertThat(slots.a().sha256()).isEqualTo(sha(fixture("dense_anomaly.tflite")));
      assertThat(sha(again.slots().activeModel().orElseThrow())).isEqualTo(sha(next));
      assertThat(again.flash().bytesWritten())
          .as("the factory model is not programmed again over a chip that has a flash")
          .isZero();
      assertThat(again.appliedGeneration())
          .as("the runtime configuration is not in the flash file")
          .isZero();
    }

    try (DeviceEmulator blank = esp32(null)) {
      assertThat(blank.hello().slots().a().sha256())
          .as("without a file, a new emulator is a chip fresh from the factory")
          .isEqualTo(sha(fixture("dense_anomaly.tflite")));
      assertThat(blank.hello().slots().b()).isNull();
    }
  }

  @Test
  void aModelLeftOnTrialIsAbortedByTheBootRulesWhenTheFileIsOpenedAgain() throws Exception {
    Path file = dir.resolve("esp32.flash");
    byte[] next = fixture("logistic_temperature.tflite");
    try (DeviceEmulator first = esp32(file);
        InProcessDeviceLink link = InProcessDeviceLink.attach(first, TIMEOUT)) {
      assertThat(update(link, next, false).onTrial()).isTrue();
    }

    try (DeviceEmulator again = esp32(file)) {
      assertThat(again.hello().slots().active()).isEqualTo("A");
      assertThat(again.slots().record(ModelSlots.B).orElseThrow().state())
          .isEqualTo(SlotState.ABORTED);
    }
  }

  @Test
  void aFileAnotherEmulatorHoldsOrOfAnotherChipIsRefused() throws Exception {
    Path file = dir.resolve("esp32.flash");
    try (DeviceEmulator first = esp32(file)) {
      assertThatThrownBy(() -> esp32(file))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("in use by another emulator");
    }

    assertThatThrownBy(() -> DeviceEmulator.builder(Chip.STM32F4).flashFile(file).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not the 1048576 of this chip's flash");
  }

  @Test
  void emulatorMainKilledAndStartedAgainOnItsFlashFileBootsItsConfirmedModel() throws Exception {
    Path file = dir.resolve("esp32.flash");
    byte[] next = fixture("logistic_temperature.tflite");
    List<String> args =
        List.of(
            "--chip",
            "esp32",
            "--port",
            "0",
            "--model",
            MODELS.resolve("dense_anomaly.tflite").toString(),
            "--flash-file",
            file.toString());

    Process first = emulatorMain(args);
    try (DeviceLink link = DeviceLinks.open(firstUri(first), TIMEOUT)) {
      assertThat(update(link, next, true).activeState()).isEqualTo("VALID");
    } finally {
      first.destroyForcibly().waitFor();
    }

    Process again = emulatorMain(args);
    try (DeviceLink link = DeviceLinks.open(firstUri(again), TIMEOUT)) {
      Hello hello = link.hello();
      assertThat(hello.slots().active()).isEqualTo("B");
      assertThat(hello.slots().activeState()).isEqualTo("VALID");
      assertThat(hello.slots().activeModel().sha256()).isEqualTo(sha(next));
      assertThat(link.stats().configGeneration()).isZero();
    } finally {
      again.destroyForcibly().waitFor();
    }
  }

  private static Process emulatorMain(List<String> args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                EmulatorMain.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The {@code tcp://} address EmulatorMain prints for its first emulator. */
  private static String firstUri(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("EmulatorMain printed its emulator").isNotNull();
    return line.split(" ")[2];
  }
}
