package io.fieldproof.model.footprint;

import java.util.List;
import java.util.Optional;

/**
 * The power profile of each chip {@link LatencyEstimate} knows: the one table of chip currents (the
 * model CLI and the operator read it). Typical figures of the public datasheets at 25 °C, rounded;
 * power is current times {@link PowerProfile#SUPPLY_VOLTS}.
 *
 * <p>Active: run mode at the profile's clock, radio off, peripherals mostly off.
 *
 * <ul>
 *   <li>esp32: ESP32 Series Datasheet, "Power Consumption by Power Modes", modem-sleep, CPU at 240
 *       MHz, dual-core: 30 to 68 mA; the upper figure, 68 mA (a core busy with the runner).
 *   <li>esp32s3: ESP32-S3 Series Datasheet, current in modem-sleep at 240 MHz, dual-core, both
 *       cores busy: about 90 mA.
 *   <li>stm32f4: STM32F405/407 datasheet (DS8626), run mode from flash, ART accelerator on, 168
 *       MHz, peripherals disabled: about 40 mA.
 *   <li>stm32l4: STM32L476 datasheet (DS10198), run mode range 1 at 80 MHz from flash: about 10 mA
 *       (the datasheet's 100 to 120 µA per MHz).
 * </ul>
 *
 * <p>Sleep: the runtime sleeps between two sampling periods in the deepest mode that keeps RAM (its
 * debounce run, drift windows and counters) and wakes on a timer and on the device link's receive
 * line (the host sends {@code 0x00} before every request, docs/device-protocol.md §1, which a
 * wake-up may lose). Deep-sleep and Standby lose RAM, so they are not taken.
 *
 * <ul>
 *   <li>esp32: light-sleep, 0.8 mA (ESP32 datasheet, same table).
 *   <li>esp32s3: light-sleep, 240 µA (ESP32-S3 datasheet, "Current consumption in low-power
 *       modes").
 *   <li>stm32f4: Stop mode, low-power regulator, flash in deep power-down, about 0.3 mA (DS8626,
 *       "Typical and maximum current consumptions in Stop mode": 0.28 mA).
 *   <li>stm32l4: Stop 2 with the RTC running, 1.4 µA (DS10198, features: 1.1 µA Stop 2, 1.4 µA with
 *       RTC).
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
      new PowerProfile(LatencyEstimate.ESP32S3, 90, 0.24, "light-sleep");
  public static final PowerProfile STM32F4 =
      new PowerProfile(LatencyEstimate.STM32F4, 40, 0.3, "Stop");
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
