package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HoldCycleTest {

  @Test
  void holdsTheReadingsForOnSecondsThenGivesThemBackForOffSeconds() {
    HeldReadings held =
        EmulatorOptions.parse(
                "--hold", "accel_rms=0.68", "--hold", "motor_current_a=3.5", "--hold-cycle", "2/1")
            .held();
    DeviceEmulator first = DeviceEmulator.create(Chip.ESP32, 1);
    DeviceEmulator second = DeviceEmulator.create(Chip.ESP32, 2);
    HoldCycle cycle = new HoldCycle(held, List.of(first, second), () -> true);
    Map<String, Optional<Double>> regime =
        Map.of("accel_rms", Optional.of(0.68), "motor_current_a", Optional.of(3.5));

    cycle.run();
    assertThat(first.heldReadings()).isEqualTo(regime);
    assertThat(second.heldReadings()).isEqualTo(regime);
    cycle.run();
    assertThat(first.heldReadings()).isEqualTo(regime);
    cycle.run();
    assertThat(first.heldReadings()).isEmpty();
    assertThat(second.heldReadings()).isEmpty();
    cycle.run();
    assertThat(first.heldReadings()).isEqualTo(regime);
  }

  @Test
  void withoutACycleHoldsForGoodAndLeavesOtherHeldInputsAlone() {
    DeviceEmulator device = DeviceEmulator.create(Chip.ESP32, 1);
    HoldCycle cycle =
        new HoldCycle(
            EmulatorOptions.parse("--hold", "accel_rms=9").held(), List.of(device), () -> true);
    device.holdReading("temperature_c", 150.0);
    for (int second = 0; second < 5; second++) {
      cycle.run();
    }
    assertThat(device.heldReadings())
        .isEqualTo(Map.of("accel_rms", Optional.of(9.0), "temperature_c", Optional.of(150.0)));
  }

  @Test
  void countsEpisodesOnlyWhileTheDevicesRunAndStopsAfterTheLast() {
    DeviceEmulator device = DeviceEmulator.create(Chip.ESP32, 1);
    AtomicBoolean running = new AtomicBoolean();
    HoldCycle cycle =
        new HoldCycle(
            EmulatorOptions.parse("--hold", "accel_rms=9", "--hold-cycle", "1/1x2").held(),
            List.of(device),
            running::get);
    cycle.run();
    cycle.run();
    assertThat(device.heldReadings()).as("not configured yet").isEmpty();
    running.set(true);
    List<Boolean> held = new ArrayList<>();
    for (int second = 0; second < 7; second++) {
      cycle.run();
      held.add(!device.heldReadings().isEmpty());
    }
    assertThat(held).containsExactly(true, false, true, false, false, false, false);
  }

  @Test
  void anEmulatorWithoutARuntimeConfigurationIsNotRunning() {
    DeviceEmulator device = DeviceEmulator.create(Chip.ESP32, 1);
    HoldCycle cycle =
        new HoldCycle(EmulatorOptions.parse("--hold", "accel_rms=9").held(), List.of(device));
    cycle.run();
    assertThat(device.heldReadings()).isEmpty();
  }

  @Test
  void refusesMalformedHolds() {
    assertThatThrownBy(() -> EmulatorOptions.parse("--hold", "accel_rms"))
        .hasMessageContaining("--hold takes INPUT=VALUE");
    assertThatThrownBy(() -> EmulatorOptions.parse("--hold", "accel_rms=low"))
        .hasMessageContaining("--hold takes INPUT=VALUE");
    assertThatThrownBy(() -> EmulatorOptions.parse("--hold-cycle", "3"))
        .hasMessageContaining("--hold-cycle takes ON/OFF");
    assertThatThrownBy(() -> EmulatorOptions.parse("--hold-cycle", "3/3xmany"))
        .hasMessageContaining("--hold-cycle takes ON/OFF[xCOUNT]");
    assertThatThrownBy(() -> EmulatorOptions.parse("--hold-cycle", "0/3"))
        .hasMessageContaining("ON of at least 1 s");
  }
}
