package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.emulator.stm32.Stm32Chip;
import io.fieldproof.testsupport.FlashTools;
import io.fieldproof.testsupport.PtyBridge;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device id an emulated chip announces in its HELLO (the id the edge agent reports for it,
 * {@code esp32-<mac>} or {@code stm32-<uid>}) is the id the vendors' tools read from the chip's ROM
 * bootloader: esptool's {@code read-mac} (in its default mode, through the flasher stub, and with
 * {@code --no-stub}) for an ESP32, and the 96-bit unique id that stm32flash reads from system
 * memory for an STM32.
 */
class DeviceIdJudgeTest {

  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern MAC = Pattern.compile("MAC:\\s+([0-9a-f:]{17})");

  @TempDir Path dir;

  private static LineServer bootloader(DeviceEmulator emulator) throws Exception {
    return DeviceBootloaders.serve(
        emulator, InetAddress.getLoopbackAddress(), 0, LineSettings.ideal().withBaud(115_200));
  }

  private static String readMac(LineServer server, String... mode) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--chip",
                "esp32",
                "--port",
                server.socketUrl(),
                "--before",
                "no-reset",
                "--after",
                "no-reset"));
    args.addAll(List.of(mode));
    args.add("read-mac");
    FlashTools.Run run = FlashTools.esptool(TOOL_TIMEOUT, args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();
    Matcher mac = MAC.matcher(run.output());
    assertThat(mac.find()).as(run.output()).isTrue();
    return mac.group(1);
  }

  @Test
  void esptoolReadsTheMacThatTheEsp32AnnouncesAsItsId() throws Exception {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.ESP32, 4242);
    String announced = emulator.hello().deviceId();

    try (LineServer server = bootloader(emulator)) {
      String throughStub = readMac(server);
      String throughRom = readMac(server, "--no-stub");

      assertThat("esp32-" + throughStub.replace(":", "")).isEqualTo(announced);
      assertThat(throughRom).isEqualTo(throughStub);
    }
    assertThat(announced).isEqualTo(emulator.deviceId()).startsWith("esp32-");
  }

  @Test
  void stm32flashReadsTheUniqueIdThatTheStm32AnnouncesAsItsId() throws Exception {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.STM32F4, 4242);
    String announced = emulator.hello().deviceId();
    long uidAddress = Stm32Chip.stm32f4().uidAddress();
    Path uid = dir.resolve("uid.bin");

    try (LineServer server = bootloader(emulator);
        PtyBridge bridge = PtyBridge.to(server.port(), dir)) {
      FlashTools.Run run =
          FlashTools.run(
              List.of(
                  FlashTools.stm32flash().toString(),
                  "-b",
                  "115200",
                  "-m",
                  "8n1",
                  "-S",
                  String.format(Locale.ROOT, "0x%x:12", uidAddress),
                  "-r",
                  uid.toString(),
                  bridge.tty().toString()),
              TOOL_TIMEOUT);

      assertThat(run.exitCode()).as(run.output()).isZero();
    }
    assertThat("stm32-" + HexFormat.of().formatHex(Files.readAllBytes(uid))).isEqualTo(announced);
    assertThat(announced).isEqualTo(emulator.deviceId());
  }
}
