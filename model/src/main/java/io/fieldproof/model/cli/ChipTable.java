package io.fieldproof.model.cli;

import io.fieldproof.model.footprint.ChipProfile;
import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.tflite.BuiltinOperator;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the CLI knows of each chip profile of {@link LatencyEstimate}: its budget and its active
 * power.
 *
 * <p>Budgets: the arena and slot sizes and operator lists of the emulators' runtime builds ({@code
 * devices/src/main/java/io/fieldproof/device/emulator/Chip.java}, what the emulated devices report
 * in HELLO). The model module must not depend on the devices module, so they are copied here; keep
 * the two in step.
 *
 * <p>Energy is an estimate: the chip's active power (typical core supply current in run mode at the
 * profile's clock, radio off, times 3.3 V) times {@link LatencyEstimate}'s time. It leaves out
 * memory wait states, peripherals, regulators and sleep between inferences. The currents are
 * typical figures of the public datasheets, rounded:
 *
 * <ul>
 *   <li>esp32: ESP32 datasheet, modem-sleep, both cores at 240 MHz: up to about 68 mA.
 *   <li>esp32s3: ESP32-S3 datasheet, modem-sleep, both cores at 240 MHz: about 90 mA.
 *   <li>stm32f4: STM32F405 datasheet, run mode from flash with the ART accelerator at 168 MHz,
 *       peripherals disabled: about 40 mA.
 *   <li>stm32l4: STM32L476 datasheet, run mode at 80 MHz (range 1): about 10 mA (roughly 120 µA per
 *       MHz).
 * </ul>
 */
final class ChipTable {

  /** Supply voltage of every profile's energy estimate. */
  static final double SUPPLY_VOLTS = 3.3;

  /**
   * One chip profile.
   *
   * @param profile the latency coefficients
   * @param budget arena, slot and operators of the chip's runtime build
   * @param activeMilliamps typical active current at the profile's clock (datasheet, rounded)
   */
  record Chip(ChipProfile profile, DeviceBudget budget, double activeMilliamps) {

    /** Active power in milliwatts. */
    double activeMilliwatts() {
      return activeMilliamps * SUPPLY_VOLTS;
    }

    /** Estimated microjoules of an inference lasting {@code micros}. */
    double microjoules(long micros) {
      return activeMilliwatts() * micros / 1000.0;
    }
  }

  private static final Set<String> ALL_OPERATORS =
      Arrays.stream(BuiltinOperator.values()).map(Enum::name).collect(Collectors.toSet());

  private static final Set<String> WITHOUT_CONV_2D =
      ALL_OPERATORS.stream().filter(op -> !op.equals("CONV_2D")).collect(Collectors.toSet());

  static final List<Chip> CHIPS =
      List.of(
          new Chip(
              LatencyEstimate.ESP32, new DeviceBudget(96 * 1024, 512 * 1024, ALL_OPERATORS), 68),
          new Chip(
              LatencyEstimate.ESP32S3,
              new DeviceBudget(192 * 1024, 1024 * 1024, ALL_OPERATORS),
              90),
          new Chip(
              LatencyEstimate.STM32F4, new DeviceBudget(64 * 1024, 384 * 1024, ALL_OPERATORS), 40),
          new Chip(
              LatencyEstimate.STM32L4,
              new DeviceBudget(40 * 1024, 256 * 1024, WITHOUT_CONV_2D),
              10));

  private ChipTable() {}

  /**
   * The chip named {@code name}.
   *
   * @throws CliException naming the known chips when there is none
   */
  static Chip named(String name) {
    return CHIPS.stream()
        .filter(c -> c.profile().chip().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new CliException(
                    CliException.USAGE,
                    "unknown chip profile "
                        + name
                        + ", expected one of "
                        + CHIPS.stream()
                            .map(c -> c.profile().chip())
                            .collect(Collectors.joining(", "))));
  }
}
