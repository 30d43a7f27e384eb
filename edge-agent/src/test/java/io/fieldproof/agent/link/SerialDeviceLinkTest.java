package io.fieldproof.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.protocol.Hello;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A device on a real serial line: socat makes a pseudo-terminal whose other end is the emulator's
 * TCP port, and the link opens the terminal as a serial device (stty, raw mode).
 */
class SerialDeviceLinkTest {

  @Test
  void talksToADeviceOverAPseudoTerminal() throws Exception {
    assertThat(Files.isExecutable(Path.of("/usr/bin/socat")))
        .as("socat makes the pseudo-terminal: apt-get install -y socat (.ci/install.sh does it)")
        .isTrue();
    DeviceEmulator emulator = DeviceEmulator.create(Chip.STM32L4, 7);
    Path dir = Files.createTempDirectory("serial");
    Path tty = dir.resolve("ttyEMU0");
    try (EmulatorServer server = EmulatorServer.start(emulator, 0)) {
      Process bridge =
          new ProcessBuilder(
                  "/usr/bin/socat", "pty,raw,echo=0,link=" + tty, "tcp:127.0.0.1:" + server.port())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("socat.log").toFile())
              .start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(tty));
        try (DeviceLink link =
            DeviceLinks.open("serial:" + tty + "?baud=115200", Duration.ofSeconds(5))) {
          Hello hello = link.hello();
          assertThat(hello.deviceId()).isEqualTo(emulator.deviceId()).startsWith("stm32-");
          assertThat(link.stats().uptimeMs()).isNotNegative();
        }
      } finally {
        bridge.destroy();
      }
    }
  }
}
