package io.fieldproof.agent.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceIdentity;
import io.fieldproof.device.emulator.EmulatorFleet;
import io.fieldproof.device.emulator.EmulatorOptions;
import io.fieldproof.device.emulator.EmulatorServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gateway's links and bootloader sessions reach every device a command line asked for. */
class EmulatorFleetTest {

  @Test
  void theCommandLineServesEachChipsBootloaderBesideItsFirmware() throws Exception {
    for (String chip : new String[] {"esp32", "stm32f4", "stm32l4"}) {
      EmulatorOptions options =
          EmulatorOptions.parse(
              "--chip", chip, "--port", "0", "--boot-port", "0", "--baud", "0", "--count", "2");
      try (EmulatorFleet fleet = EmulatorFleet.start(options)) {
        for (int i = 0; i < 2; i++) {
          String uri = fleet.bootloader(i).orElseThrow().uri();
          try (BootloaderSession session = ChipBootloaders.defaults().connect(uri, chip)) {
            assertThat(session.chip()).isEqualTo(chip);
            assertThat(fleet.servers().get(i).emulator().halted()).isTrue();
          }
        }
      }
    }
  }

  @Test
  void aFleetServesEveryEmulatorOnItsOwnPort() throws Exception {
    EmulatorOptions options =
        EmulatorOptions.parse("--chip", "esp32s3", "--port", "0", "--count", "3", "--seed", "100");
    try (EmulatorFleet fleet = EmulatorFleet.start(options)) {
      Set<Integer> ports = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        EmulatorServer server = fleet.servers().get(i);
        ports.add(server.port());
        try (DeviceLink link = DeviceLinks.open(server.uri(), Duration.ofSeconds(5))) {
          assertThat(link.hello().deviceId())
              .isEqualTo(DeviceIdentity.of(Chip.ESP32S3, 100 + i).deviceId());
        }
      }
      assertThat(ports).hasSize(3);
    }
  }
}
