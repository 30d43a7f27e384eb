package io.fieldproof.model.footprint;

import java.util.List;
import java.util.Optional;

/**
 * The power profile of each chip {@link LatencyEstimate} knows: the one table of chip currents (the
 * model CLI and the operator read it). Typical figures of the manufacturers' datasheets, checked on
 * 2026-12-06 against the datasheet revisions named below; power is current times {@link
 * PowerProfile#SUPPLY_VOLTS}. docs/device-runtime.md#power has the same table with each figure's
 * conditions.
 *
 * <p>Active: the int8 runner on one core at the profile's clock, code from flash, radio off,
 * peripheral clocks off where the datasheet tells them apart. The firmware runs the runner in one
 * task, so on the dual-core ESP32s one core works and the other idles.
 *
 * <ul>
 *   <li>esp32, 68 mA: ESP32 Series Datasheet v5.2, §4.3.1, Table 4-2 "Power Consumption by Power
 *       Modes": modem-sleep (CPU on, Wi-Fi and Bluetooth baseband and radio off), 240 MHz,
 *       dual-core chips, 30 to 68 mA. The table does not say which load gives which end; the upper
 *       end is taken, an upper bound for one busy core.
 *   <li>esp32s3, 51.2 mA: ESP32-S3 Series Datasheet v2.2, §5.6.2, Table 5-9 "Current Consumption in
 *       Modem-sleep Mode": 240 MHz, one core running 32-bit data access instructions and the other
 *       idle, all peripheral clocks disabled (65.9 mA with all enabled); typical (§5.6.1: 3.3 V, 25
 *       °C). The runner does not use the S3's 128-bit vector instructions (rows of 72.4 to 107.9
 *       mA). Footnote: more while flash is read (10 mA for an 80 Mbit/s flash in 2-line SPI), left
 *       out.
 *   <li>stm32f4, 40 mA: the port's part is an STM32F405. DS8626 Rev 12 (STM32F405xx/407xx), §6.3.6,
 *       Table 20: Run mode, code and data from flash with the ART accelerator on, external clock
 *       with the PLL, 168 MHz, all peripherals disabled; typical, 3.3 V, 25 °C (CoreMark code). 87
 *       mA with all peripherals enabled; 54 mA at most at 85 °C.
 *   <li>stm32l4, 10 mA: STM32L476 (DS10198), range 1 at 80 MHz from flash. <b>Not verified</b>: the
 *       datasheet's run-mode table could not be read here. Its feature list gives "100 µA/MHz run
 *       mode (LDO)" without a clock; ST's STM32L4 power training for the STM32L47x/48x gives 120
 *       µA/MHz at up to 80 MHz (9.6 mA) and 100 µA/MHz at 26 MHz. 10 mA, written from memory, is
 *       kept until the table is read.
 * </ul>
 *
 * <p>Sleep: the runtime sleeps between two sampling periods in the deepest mode that keeps RAM (its
 * debounce run, drift windows and counters) and wakes on a timer and on the device link's receive
 * line (the host sends {@code 0x00} before every request, docs/device-protocol.md §1, which a
 * wake-up may lose). Deep-sleep and Standby lose RAM (the chip restarts on wake-up), so they are
 * not taken.
 *
 * <ul>
 *   <li>esp32: light-sleep, 0.8 mA (ESP32 datasheet v5.2, same table; deep-sleep would be 10 µA).
 *   <li>esp32s3: light-sleep, 240 µA (ESP32-S3 datasheet v2.2, Table 5-10 "Current Consumption in
 *       Low-Power Modes": VDD_SPI and Wi-Fi powered down, GPIOs high-impedance; typical).
 *   <li>stm32f4: Stop mode, main regulator in low-power mode, flash in deep power-down, 0.28 mA
 *       (DS8626 Rev 12, Table 23 "Typical and maximum current consumptions in Stop mode": typical
 *       at 25 °C; 1.1 mA at most at 25 °C). The table has the RC oscillators off; the RTC that
 *       would time the wake-up adds about 1 µA.
 *   <li>stm32l4: Stop 2 with the RTC running, 1.4 µA (DS10198 feature list: 1.1 µA Stop 2, 1.4 µA
 *       with RTC; supply and temperature not stated there). Of its UARTs only the LPUART wakes the
 *       chip from Stop 2; a USART link would wake it through an EXTI line on its RX pin.
 * </ul>
 *
 * <p>The C firmware's ports do not sleep that deep yet: the STM32F4 port waits in WFI (Sleep mode,
 * peripherals clocked) and the ESP32 port's task polls the UART. The sleep figures are what the
 * runtime reaches on a port that sleeps; today's ports draw more between inferences.
 */
public final class PowerProfiles {

  public static final PowerProfile ESP32 =
      new PowerProfile(LatencyEstimate.ESP32, 68, 0.8, "light-sleep");
  public static final PowerProfile ESP32S3 =
      new PowerProfile(LatencyEstimate.ESP32S3, 51.2, 0.24, "light-sleep");
  public static final PowerProfile STM32F4 =
      new PowerProfile(LatencyEstimate.STM32F4, 40, 0.28, "Stop");
  public static final PowerProfile STM32L4 =
      new PowerProfile(LatencyEstimate.STM32L4, 10, 0.0014, "Stop 2");

  private static final List<PowerProfile> PROFILES = List.of(ESP32, ESP32S3, STM32F4, STM32L4);

  private PowerProfiles() {}

  /** Every power profile, in the order of {@link LatencyEstimate#profiles()}. */
  public static List<PowerProfile> profiles() {
    return PROFILES;
  }

  /** The profile of {@code chip} (lower case, as devices name it), if the fleet knows the chip. */
  public static Optional<PowerProfile> forChip(String chip) {
    return PROFILES.stream().filter(p -> p.chip().equals(chip)).findFirst();
  }
}
