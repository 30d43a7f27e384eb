package io.fieldproof.model.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The energy figures against sums done by hand. */
class EnergyEstimateTest {

  @Test
  void everyChipHasOnePowerProfileAtItsLatencyProfilesClock() {
    assertThat(PowerProfiles.profiles())
        .extracting(PowerProfile::latency)
        .containsExactlyElementsOf(LatencyEstimate.profiles());
    assertThat(PowerProfiles.forChip("stm32f4")).contains(PowerProfiles.STM32F4);
    assertThat(PowerProfiles.forChip("esp8266")).isEmpty();
    assertThat(PowerProfiles.STM32F4.cyclesPerSecond()).isEqualTo(168_000_000L);
    // 68 mA and 0.8 mA at 3.3 V
    assertThat(PowerProfiles.ESP32.activeMilliwatts()).isCloseTo(224.4, within(1e-9));
    assertThat(PowerProfiles.ESP32.sleepMilliwatts()).isCloseTo(2.64, within(1e-9));
  }

  /**
   * The currents are the datasheets' typical figures that PowerProfiles and docs/device-runtime.md
   * cite: a change here is a change of source, to be made in both.
   */
  @Test
  void everyProfileCarriesItsDatasheetCurrents() {
    // ESP32 Series Datasheet v5.2, Table 4-2: modem-sleep 240 MHz dual-core 30 to 68 mA (upper
    // end), light-sleep 0.8 mA
    assertCurrents(PowerProfiles.ESP32, 68, 0.8, "light-sleep");
    // ESP32-S3 Series Datasheet v2.2, Table 5-9: 240 MHz, one core 32-bit, other idle, peripheral
    // clocks off 51.2 mA; Table 5-10: light-sleep 240 µA
    assertCurrents(PowerProfiles.ESP32S3, 51.2, 0.24, "light-sleep");
    // DS8626 Rev 12, Table 20: Run 168 MHz from flash, ART on, peripherals off 40 mA; Table 23:
    // Stop, low-power regulator, flash in deep power-down 0.28 mA
    assertCurrents(PowerProfiles.STM32F4, 40, 0.28, "Stop");
    // DS10198 feature list: Stop 2 with RTC 1.4 µA; the 10 mA run figure is not verified
    assertCurrents(PowerProfiles.STM32L4, 10, 0.0014, "Stop 2");
    // 51.2 mA and 0.24 mA at 3.3 V
    assertThat(PowerProfiles.ESP32S3.activeMilliwatts()).isCloseTo(168.96, within(1e-9));
    assertThat(PowerProfiles.ESP32S3.sleepMilliwatts()).isCloseTo(0.792, within(1e-9));
  }

  @Test
  void anStm32f4AsleepInStopBetweenInferences() {
    EnergyEstimate f4 = EnergyEstimate.of(PowerProfiles.STM32F4, 2000, new DutyCycle(1, 0, 1));

    // 132 mW x 2000 µs = 264 µJ
    assertThat(f4.energyPerInferenceMicrojoules()).isCloseTo(264.0, within(1e-9));
    // awake 2000 + 7291.67 µs; 132 x 0.00929167 + 0.924 x 0.99070833 = 2.14191 mW
    assertThat(f4.activeFraction()).isCloseTo(0.00929167, within(1e-8));
    assertThat(f4.averagePowerMilliwatts()).isCloseTo(2.14191, within(1e-5));
  }

  @Test
  void aByteTakesTenBitsAt115200Baud() {
    // 84 bytes x 10 bits / 115200 bit/s = 7291.67 µs
    assertThat(LinkCost.telemetryBytes(1)).isEqualTo(84);
    assertThat(LinkCost.micros(84)).isCloseTo(7291.667, within(1e-3));
  }

  @Test
  void anEsp32AtTenInferencesASecondAndAReportEveryThirtySeconds() {
    EnergyEstimate esp32 =
        EnergyEstimate.of(PowerProfiles.ESP32, 1000, new DutyCycle(10, 1.0 / 30, 1));

    // 224.4 mW x 1000 µs = 224.4 µJ
    assertThat(esp32.energyPerInferenceMicrojoules()).isCloseTo(224.4, within(1e-9));
    // awake: 10 x (1000 + 7291.67) + 52083.33 / 30 = 84652.78 µs a second
    assertThat(esp32.activeFraction()).isCloseTo(0.0846528, within(1e-7));
    // 224.4 x 0.0846528 + 2.64 x 0.9153472 = 21.4126 mW
    assertThat(esp32.averagePowerMilliwatts()).isCloseTo(21.4126, within(1e-4));
  }

  @Test
  void anStm32l4ThatSleepsMostOfTheSecond() {
    EnergyEstimate l4 = EnergyEstimate.of(PowerProfiles.STM32L4, 500, new DutyCycle(1, 0, 2));

    // 33 mW x 500 µs = 16.5 µJ
    assertThat(l4.energyPerInferenceMicrojoules()).isCloseTo(16.5, within(1e-9));
    // awake 500 + 9375 µs (108 bytes); 33 x 0.009875 + 0.00462 x 0.990125 = 0.33045 mW
    assertThat(l4.activeFraction()).isCloseTo(0.009875, within(1e-9));
    assertThat(l4.averagePowerMilliwatts()).isCloseTo(0.33045, within(1e-5));
  }

  @Test
  void aDeviceThatCannotKeepUpIsAwakeAllTheTime() {
    EnergyEstimate busy =
        EnergyEstimate.of(PowerProfiles.STM32F4, 200_000, new DutyCycle(10, 1, 4));

    assertThat(busy.activeFraction()).isEqualTo(1.0);
    assertThat(busy.averagePowerMilliwatts()).isCloseTo(132.0, within(1e-9));
  }

  @Test
  void refusesARateThatIsNotPositive() {
    assertThatThrownBy(() -> new DutyCycle(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rates must be positive");
  }

  private static void assertCurrents(
      PowerProfile profile, double activeMilliamps, double sleepMilliamps, String sleepMode) {
    assertThat(profile.activeMilliamps()).as(profile.chip()).isEqualTo(activeMilliamps);
    assertThat(profile.sleepMilliamps()).as(profile.chip()).isEqualTo(sleepMilliamps);
    assertThat(profile.sleepMode()).as(profile.chip()).isEqualTo(sleepMode);
  }
}
