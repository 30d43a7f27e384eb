package io.fieldproof.model.cli;

import io.fieldproof.model.footprint.ChipProfile;
import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.footprint.PowerProfile;
import io.fieldproof.model.footprint.PowerProfiles;
import io.fieldproof.model.tflite.BuiltinOperator;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the CLI knows of each chip profile of {@link LatencyEstimate}: its budget and its power
 * profile ({@link PowerProfiles}, the one table of chip currents, with their datasheet sources).
 *
 * <p>Budgets: the arena and slot sizes and operator lists of the emulators' runtime builds ({@code
 * devices/src/main/java/io/fieldproof/device/emulator/Chip.java}, what the emulated devices report
 * in HELLO). The model module must not depend on the devices module, so they are copied here; keep
 * the two in step.
 *
 * <p>Energy is an estimate: the chip's active power times {@link LatencyEstimate}'s time ({@link
 * PowerProfile#activeMicrojoules}). It leaves out memory wait states, peripherals, regulators and
 * sleep between inferences.
 */
final class ChipTable {

  /**
   * One chip profile.
   *
   * @param power the chip's power profile, which holds its latency coefficients
   * @param budget arena, slot and operators of the chip's runtime build
   */
  record Chip(PowerProfile power, DeviceBudget budget) {

    /** The latency coefficients. */
    ChipProfile profile() {
      return power.latency();
    }

    /** Active power in milliwatts. */
    double activeMilliwatts() {
      return power.activeMilliwatts();
    }

    /** Estimated microjoules of an inference lasting {@code micros}. */
    double microjoules(long micros) {
      return power.activeMicrojoules(micros);
    }
  }

  private static final Set<String> ALL_OPERATORS =
      Arrays.stream(BuiltinOperator.values()).map(Enum::name).collect(Collectors.toSet());

  private static final Set<String> WITHOUT_CONV_2D =
      ALL_OPERATORS.stream().filter(op -> !op.equals("CONV_2D")).collect(Collectors.toSet());

  static final List<Chip> CHIPS =
      List.of(
          new Chip(PowerProfiles.ESP32, new DeviceBudget(96 * 1024, 512 * 1024, ALL_OPERATORS)),
          new Chip(PowerProfiles.ESP32S3, new DeviceBudget(192 * 1024, 1024 * 1024, ALL_OPERATORS)),
          new Chip(PowerProfiles.STM32F4, new DeviceBudget(64 * 1024, 384 * 1024, ALL_OPERATORS)),
          new Chip(
              PowerProfiles.STM32L4, new DeviceBudget(40 * 1024, 256 * 1024, WITHOUT_CONV_2D)));

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
