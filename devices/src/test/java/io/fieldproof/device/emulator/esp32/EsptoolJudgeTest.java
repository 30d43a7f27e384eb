package io.fieldproof.device.emulator.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.testsupport.FlashTools;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * esptool 5.6.0 judges the emulated ESP32 ROM loader: it must write, verify and read flash through
 * {@code socket://} with {@code --no-stub} exactly as it does on a chip, and must fail when the
 * flash does not hold what it is asked to verify.
 */
class EsptoolJudgeTest {

  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x01, 0x02, 0x03};
  private static final int SLOT = SlotLayout.forChip("esp32").slotA();

  private final EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
  private final RomLoaderCounters counters = new RomLoaderCounters();
  private LineServer server;

  @TempDir Path dir;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private void serve(LineSettings settings) throws IOException {
    server = LineServer.start(0, settings, EspRomLoader.factory(flash, MAC, counters));
  }

  private FlashTools.Run esptool(String... args) {
    List<String> all = new ArrayList<>(List.of("--no-stub"));
    all.addAll(List.of(args));
    return esptoolWithStub(all.toArray(String[]::new));
  }

  /** esptool in its default mode: it uploads its flasher stub and talks to that. */
  private FlashTools.Run esptoolWithStub(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--chip",
                "esp32",
                "--port",
                server.socketUrl(),
                "--before",
                "no-reset",
                "--after",
                "no-reset"));
    all.addAll(List.of(args));
    return FlashTools.esptool(TOOL_TIMEOUT, all.toArray(String[]::new));
  }

  private static Path model(String name) {
    return ProjectPaths.root().resolve("model/fixtures/models").resolve(name);
  }

  private Path blob(int length, long seed) throws IOException {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return Files.write(dir.resolve("blob-" + seed + ".bin"), bytes);
  }

  private void assertFlashHolds(Path file) throws IOException {
    byte[] expected = Files.readAllBytes(file);
    assertThat(flash.read(SLOT, expected.length)).isEqualTo(expected);
  }

  @Test
  void writeFlashThenVerifyFlashAModel() throws IOException {
    serve(LineSettings.ideal());
    Path model = model("dense_anomaly.tflite");
    String slot = "0x" + Integer.toHexString(SLOT);

    FlashTools.Run write = esptool("write-flash", slot, model.toString());
    FlashTools.Run verify = esptool("verify-flash", slot, model.toString());

    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.output())
        .contains("Chip type:          ESP32-D0WD-V3")
        .contains("MAC:                24:0a:c4:01:02:03")
        .contains("Wrote " + Files.size(model) + " bytes at " + String.format("0x%08x", SLOT))
        .contains("Hash of data verified.");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("Verification successful (digest matched).");
    assertFlashHolds(model);
    assertThat(counters.refusedCommands()).as("only GET_SECURITY_INFO, twice a run").isEqualTo(4);
  }

  @Test
  void theDefaultModeUploadsTheStubThenWritesAndVerifiesThroughIt() throws IOException {
    serve(LineSettings.ideal());
    Path model = model("too_large.tflite");

    FlashTools.Run write = esptoolWithStub("write-flash", "0x210000", model.toString());
    FlashTools.Run plain =
        esptoolWithStub("write-flash", "--no-compress", "0x2f0000", model.toString());
    FlashTools.Run verify = esptoolWithStub("verify-flash", "0x210000", model.toString());

    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.output())
        .contains("Uploading stub flasher")
        .contains("Stub flasher running.")
        .containsPattern("Wrote " + Files.size(model) + " bytes \\(\\d+ compressed\\)")
        .contains("Hash of data verified.");
    assertThat(plain.exitCode()).as(plain.output()).isZero();
    assertThat(plain.output()).contains("Hash of data verified.");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("Verification successful (digest matched).");
    assertFlashHolds(model);
    byte[] expected = Files.readAllBytes(model);
    assertThat(flash.read(0x2f0000, expected.length)).isEqualTo(expected);
  }

  @Test
  void theStubReadsAndErasesRegions() throws IOException {
    serve(LineSettings.ideal());
    byte[] stored = Files.readAllBytes(blob(10_000, 14));
    flash.write(SLOT, stored, 0, stored.length);
    Path out = dir.resolve("read.bin");

    FlashTools.Run read = esptoolWithStub("read-flash", "0x210000", "10000", out.toString());
    FlashTools.Run erase = esptoolWithStub("erase-region", "0x210000", "0x1000");

    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(stored);
    assertThat(erase.exitCode()).as(erase.output()).isZero();
    assertThat(flash.read(SLOT, 0x1000)).containsOnly((byte) 0xFF);
    assertThat(flash.read(SLOT + 0x1000, 10_000 - 0x1000))
        .isEqualTo(java.util.Arrays.copyOfRange(stored, 0x1000, 10_000));
  }

  @Test
  void theStubFlashesAt921600OnAPacedLineWithDatasheetFlashTimes() throws IOException {
    server =
        LineServer.start(
            0,
            LineSettings.ideal().withBaud(115_200),
            EspRomLoader.factory(
                flash,
                MAC,
                counters,
                io.fieldproof.device.emulator.flash.FlashTimings.w25q32jvTypical()));
    Path blob = blob(50 * 1024, 15);

    FlashTools.Run write =
        esptoolWithStub("-b", "921600", "write-flash", "0x210000", blob.toString());

    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.output()).contains("Stub flasher running.").contains("Hash of data verified.");
    assertFlashHolds(blob);
  }

  @Test
  void writeFlashCompressed() throws IOException {
    serve(LineSettings.ideal());
    Path model = model("too_large.tflite");

    FlashTools.Run write = esptool("write-flash", "--compress", "0x210000", model.toString());

    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.output())
        .containsPattern("Wrote " + Files.size(model) + " bytes \\(\\d+ compressed\\)")
        .contains("Hash of data verified.");
    assertFlashHolds(model);
  }

  @Test
  void writeFlashAfterChangingTheBaudRateOnAPacedLine() throws IOException {
    serve(LineSettings.ideal().withBaud(115_200));
    Path blob = blob(50 * 1024, 11);

    FlashTools.Run write = esptool("-b", "921600", "write-flash", "0x210000", blob.toString());
    FlashTools.Run verify = esptool("-b", "921600", "verify-flash", "0x210000", blob.toString());

    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.output())
        .contains("Changing baud rate to 921600")
        .contains("Changed.")
        .contains("Hash of data verified.");
    assertThat(verify.output()).contains("Verification successful (digest matched).");
    assertFlashHolds(blob);
  }

  @Test
  void readFlashReadsWhatTheFlashHolds() throws IOException {
    serve(LineSettings.ideal());
    byte[] stored = Files.readAllBytes(blob(3000, 12));
    flash.write(SLOT, stored, 0, stored.length);
    Path out = dir.resolve("read.bin");

    FlashTools.Run read = esptool("read-flash", "0x210000", "3000", out.toString());

    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(stored);
  }

  @Test
  void verifyFlashFailsWhenTheFlashHoldsOtherBytes() throws IOException {
    serve(LineSettings.ideal());
    byte[] stored = Files.readAllBytes(blob(2048, 13));
    flash.write(SLOT, stored, 0, stored.length);
    byte[] other = stored.clone();
    other[1500] ^= 0x40;
    Path otherFile = Files.write(dir.resolve("other.bin"), other);

    FlashTools.Run verify = esptool("verify-flash", "0x210000", otherFile.toString());
    FlashTools.Run diff = esptool("verify-flash", "--diff", "0x210000", otherFile.toString());

    assertThat(verify.exitCode()).as(verify.output()).isNotZero();
    assertThat(verify.output()).contains("Verification failed (digest mismatch).");
    assertThat(diff.exitCode()).as(diff.output()).isNotZero();
    assertThat(diff.output())
        .contains("Verification failed: 1 differences, first at 0x002105dc")
        .containsPattern(
            String.format("0x002105dc %02x %02x", stored[1500] & 0xFF, other[1500] & 0xFF));
  }
}
