package io.fieldproof.device.emulator.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.testsupport.FlashTools;
import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.PtyBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The emulated bootloaders judged by the tools people flash real STM32s with: stm32loader 0.7.1 (as
 * a library over {@code socket://}, since its command line must toggle DTR/RTS) and Debian's
 * stm32flash 0.7 (through a socat pseudo-terminal). Each writes a real model into slot A and reads
 * it back; the bytes must then be in the emulated flash. Two runs must fail, to show the judges
 * can.
 */
class Stm32JudgeTest {

  private static final int BAUD = 115_200;
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path dir;

  static Stream<Arguments> chips() {
    return Stream.of(
        Arguments.of((Supplier<Stm32Chip>) Stm32Chip::stm32f4, "F4"),
        Arguments.of((Supplier<Stm32Chip>) Stm32Chip::stm32l4, "L4"));
  }

  private static Path model() {
    return ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite");
  }

  private static long slotA(Stm32Chip chip) {
    SlotLayout layout = SlotLayout.forChip(chip.name());
    return layout.busAddress(layout.slotOffset(SlotLayout.A));
  }

  private static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }

  private static FlashTools.Run stm32loader(EmulatedStm32 device, String family, Path expect) {
    List<String> command =
        new ArrayList<>(
            List.of(
                FlashTools.python().toString(),
                ProjectPaths.root().resolve("test/flash-tools/stm32loader_flash.py").toString(),
                "--url",
                device.server().socketUrl(),
                "--family",
                family,
                "--address",
                hex(slotA(device.chip())),
                "--file",
                model().toString(),
                "--pid",
                hex(device.chip().pid())));
    if (expect != null) {
      command.addAll(List.of("--expect", expect.toString()));
    }
    return FlashTools.run(command, TOOL_TIMEOUT);
  }

  private static FlashTools.Run stm32flash(Path tty, String... options) {
    List<String> command = new ArrayList<>(List.of(FlashTools.stm32flash().toString()));
    command.addAll(List.of(options));
    command.add(tty.toString());
    return FlashTools.run(command, TOOL_TIMEOUT);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("chips")
  void stm32loaderWritesAndVerifiesAModelInSlotA(Supplier<Stm32Chip> chip, String family)
      throws Exception {
    byte[] model = Files.readAllBytes(model());
    try (EmulatedStm32 device = EmulatedStm32.start(chip.get(), EmulatedStm32.line(BAUD))) {
      FlashTools.Run run = stm32loader(device, family, null);

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .contains(String.format("chip id 0x%03X", device.chip().pid()))
          .contains("flash size 1024 KiB")
          .contains("verified " + model.length + " bytes");
      assertThat(device.flashAt(slotA(device.chip()), model.length)).isEqualTo(model);
      assertThat(device.counters().nacks()).isZero();
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("chips")
  void stm32flashWritesAndVerifiesAModelInSlotAThroughAPseudoTerminal(
      Supplier<Stm32Chip> chip, String family) throws Exception {
    byte[] model = Files.readAllBytes(model());
    try (EmulatedStm32 device = EmulatedStm32.start(chip.get(), EmulatedStm32.line(BAUD));
        PtyBridge bridge = PtyBridge.to(device.server().port(), dir)) {
      FlashTools.Run run =
          stm32flash(
              bridge.tty(),
              "-b",
              "115200",
              "-m",
              "8n1",
              "-w",
              model().toString(),
              "-v",
              "-S",
              hex(slotA(device.chip())));

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .contains(String.format("Device ID    : 0x%04x", device.chip().pid()))
          .contains("Wrote and verified address")
          .contains("(100.00%) Done.");
      assertThat(device.flashAt(slotA(device.chip()), model.length)).isEqualTo(model);
    }
  }

  /**
   * A Linux pseudo-terminal has no parity: the kernel drops PARENB from the termios that stm32flash
   * sets for 8E1, and stm32flash 0.7 refuses the port when it reads the flags back. The run above
   * therefore asks for 8N1; the bytes on a pty are the same either way.
   */
  @Test
  void stm32flashRefusesAPseudoTerminalFor8e1() throws Exception {
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32f4(), EmulatedStm32.line(BAUD));
        PtyBridge bridge = PtyBridge.to(device.server().port(), dir)) {
      FlashTools.Run run = stm32flash(bridge.tty(), "-b", "115200");

      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output()).contains("Failed to set terminal flags");
    }
  }

  @Test
  void stm32loaderFailsWhenTheFlashHoldsOtherBytes() throws Exception {
    Path other = dir.resolve("other.bin");
    byte[] model = Files.readAllBytes(model());
    model[100] ^= 0x01;
    Files.write(other, model);
    try (EmulatedStm32 device =
        EmulatedStm32.start(Stm32Chip.stm32l4(), EmulatedStm32.line(BAUD))) {
      FlashTools.Run run = stm32loader(device, "L4", other);

      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output()).contains("FAILED: DataMismatchError").contains("0x64");
    }
  }

  @Test
  void stm32flashFailsOnAProductIdItDoesNotKnow() throws Exception {
    try (EmulatedStm32 device =
            EmulatedStm32.start(Stm32Chip.stm32f4().withPid(0x4FF), EmulatedStm32.line(BAUD));
        PtyBridge bridge = PtyBridge.to(device.server().port(), dir)) {
      FlashTools.Run run =
          stm32flash(
              bridge.tty(),
              "-b",
              "115200",
              "-m",
              "8n1",
              "-w",
              model().toString(),
              "-S",
              "0x08020000");

      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output()).contains("Unknown/unsupported device (Device ID: 0x4ff)");
      assertThat(device.flashAt(0x0802_0000L, 16)).containsOnly((byte) 0xFF);
    }
  }
}
