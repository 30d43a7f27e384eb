package io.fieldproof.model.footprint;

/**
 * How much power one chip draws: running the int8 runner at its profile's clock, and asleep between
 * two sampling periods. Currents are typical datasheet figures; {@link PowerProfiles} cites each
 * with its conditions. Power is current times {@link #SUPPLY_VOLTS} for every chip.
 *
 * @param latency the chip's latency profile: its clock and cycle coefficients
 * @param activeMilliamps typical supply current running the runner from flash at the profile's
 *     clock, radio off
 * @param sleepMilliamps typical supply current in {@code sleepMode}
 * @param sleepMode the datasheet's name of the mode the runtime would sleep in between sampling
 *     periods: the deepest one that keeps RAM and wakes on a timer and on the device link
 */
public record PowerProfile(
    ChipProfile latency, double activeMilliamps, double sleepMilliamps, String sleepMode) {

  /**
   * Supply voltage of every profile: the ESP32-S3's and the STM32F405's typical currents are given
   * at 3.3 V; the ESP32's power-mode table and the STM32L476's feature list do not state theirs.
   */
  public static final double SUPPLY_VOLTS = 3.3;

  /** The chip as devices name it. */
  public String chip() {
    return latency.chip();
  }

  /** Core cycles per second: the profile's clock. */
  public long cyclesPerSecond() {
    return latency.clockMhz() * 1_000_000L;
  }

  public double activeMilliwatts() {
    return activeMilliamps * SUPPLY_VOLTS;
  }

  public double sleepMilliwatts() {
    return sleepMilliamps * SUPPLY_VOLTS;
  }

  /** Microjoules of {@code micros} microseconds at active power (mW x µs / 1000). */
  public double activeMicrojoules(double micros) {
    return activeMilliwatts() * micros / 1000.0;
  }
}
