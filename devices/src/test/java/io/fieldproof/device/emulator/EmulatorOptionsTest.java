package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorOptionsTest {

  @Test
  void parsesTheDocumentedCommandLine() {
    EmulatorOptions options =
        EmulatorOptions.parse(
            "--chip",
            "stm32l4",
            "--seed",
            "10",
            "--count",
            "3",
            "--base-port",
            "7100",
            "--telemetry-ms",
            "250",
            "--scenario",
            "temperature_c=drift",
            "--scenario",
            "accel_rms=SPIKES");

    assertThat(options.chip()).isEqualTo(Chip.STM32L4);
    assertThat(options.port(0)).isEqualTo(7100);
    assertThat(options.port(2)).isEqualTo(7102);
    assertThat(options.seed(2)).isEqualTo(12);
    assertThat(options.telemetryIntervalMs()).isEqualTo(250);
    assertThat(options.scenarios())
        .isEqualTo(
            Map.of("temperature_c", SensorScenario.DRIFT, "accel_rms", SensorScenario.SPIKES));
  }

  @Test
  void hasDefaults() {
    EmulatorOptions options = EmulatorOptions.parse();

    assertThat(options.chip()).isEqualTo(Chip.ESP32);
    assertThat(options.port(0)).isEqualTo(7001);
    assertThat(options.seed(0)).isEqualTo(1);
    assertThat(options.count()).isEqualTo(1);
    assertThat(options.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(options.telemetryIntervalMs()).isEqualTo(1000);
  }

  @Test
  void parsesTheBootloaderAndFaultOptions() {
    EmulatorOptions options =
        EmulatorOptions.parse(
            "--boot-port",
            "5555",
            "--baud",
            "921600",
            "--corrupt",
            "0.001",
            "--hang-after",
            "4096",
            "--power-cut-after",
            "20000",
            "--runtime",
            "1",
            "--selftest-skew",
            "3",
            "--count",
            "2");

    assertThat(options.flashing())
        .isEqualTo(
            new EmulatorOptions.Flashing(
                5555,
                921600,
                0.001,
                4096,
                20000,
                io.fieldproof.device.protocol.Hello.RUNTIME_V1,
                3));
    assertThat(options.bootPort(1)).isEqualTo(5556);
    assertThat(EmulatorOptions.parse().bootPort(0)).isNull();
    assertThatThrownBy(() -> EmulatorOptions.parse("--corrupt", "2"))
        .hasMessageContaining("--corrupt");
    assertThatThrownBy(() -> EmulatorOptions.parse("--runtime", "4"))
        .hasMessageContaining("--runtime");
  }

  @Test
  void aFlashFileIsOptionalAndEachOfSeveralEmulatorsGetsItsOwn() {
    assertThat(EmulatorOptions.parse().flashFile(0)).as("flash in memory by default").isNull();
    assertThat(EmulatorOptions.parse("--flash-file", "/var/tmp/chip.flash").flashFile(0))
        .isEqualTo(Path.of("/var/tmp/chip.flash"));

    EmulatorOptions three =
        EmulatorOptions.parse("--flash-file", "/var/tmp/chip.flash", "--count", "3", "--seed", "7");

    assertThat(List.of(three.flashFile(0), three.flashFile(1), three.flashFile(2)))
        .containsExactly(
            Path.of("/var/tmp/chip.flash.7"),
            Path.of("/var/tmp/chip.flash.8"),
            Path.of("/var/tmp/chip.flash.9"));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> EmulatorOptions.parse("--chip", "avr")).hasMessageContaining("avr");
    assertThatThrownBy(() -> EmulatorOptions.parse("--port")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> EmulatorOptions.parse("--count", "0")).hasMessageContaining("--count");
    assertThatThrownBy(() -> EmulatorOptions.parse("--scenario", "t"))
        .hasMessageContaining("INPUT=");
    assertThatThrownBy(() -> EmulatorOptions.parse("--scenario", "t=WOBBLE"))
        .hasMessageContaining("WOBBLE");
    assertThatThrownBy(() -> EmulatorOptions.parse("--verbose", "1"))
        .hasMessageContaining("--verbose");
  }

  @Test
  void batteryAndLinkOptions() {
    assertThat(EmulatorOptions.parse().board()).isEqualTo(new EmulatorOptions.Board(null, 0, null));
    assertThat(EmulatorOptions.parse("--battery", "80/-0.5", "--link", "-67").board())
        .isEqualTo(new EmulatorOptions.Board(80.0, -0.5, -67));
    assertThat(EmulatorOptions.parse("--battery", "55").board().batteryPerMinute()).isZero();
    assertThatThrownBy(() -> EmulatorOptions.parse("--battery", "120"))
        .hasMessageContaining("--battery needs a percent within 0..100");
    assertThatThrownBy(() -> EmulatorOptions.parse("--battery", "full"))
        .hasMessageContaining("--battery takes PERCENT or PERCENT/PER_MINUTE");
  }
}
