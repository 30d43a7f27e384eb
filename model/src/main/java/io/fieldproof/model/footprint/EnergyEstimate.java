package io.fieldproof.model.footprint;

/**
 * The energy of one inference and the average power of a device that runs a model at a {@link
 * DutyCycle}, from its chip's {@link PowerProfile} and the inference's estimated time.
 *
 * <p>Energy per inference = active power x inference time (the MCU alone). Average power: each
 * second the chip is awake for {@code a = inferences/s x (inference time + TELEMETRY time) +
 * reports/s x STATS time} seconds ({@link LinkCost}) at active power, and asleep the rest: {@code P
 * = P_active x a + P_sleep x (1 - a)}. A device that cannot keep up ({@code a > 1}) is awake all
 * the time: {@code a} is capped at 1.
 *
 * <p>Left out: sensors and what else is on the board, regulator losses, the time and current of
 * waking up, the UART's own current, flash wait states beyond the latency estimate's, and the
 * gateway's radio (MQTT reports are the gateway's energy, not the device's).
 *
 * @param chip the chip profile's name
 * @param inferenceMicros estimated microseconds of one inference
 * @param energyPerInferenceMicrojoules active power x inference time
 * @param activeFraction seconds awake per second, at most 1
 * @param averagePowerMilliwatts the average power at the duty cycle
 */
public record EnergyEstimate(
    String chip,
    double inferenceMicros,
    double energyPerInferenceMicrojoules,
    double activeFraction,
    double averagePowerMilliwatts) {

  /** The figures of a device of {@code profile} whose inferences take {@code inferenceMicros}. */
  public static EnergyEstimate of(PowerProfile profile, double inferenceMicros, DutyCycle duty) {
    double awakeMicrosPerSecond =
        duty.inferencesPerSecond()
                * (inferenceMicros + LinkCost.micros(LinkCost.telemetryBytes(duty.inputs())))
            + duty.reportsPerSecond() * LinkCost.micros(LinkCost.STATS_EXCHANGE_BYTES);
    double active = Math.min(1.0, awakeMicrosPerSecond / 1_000_000.0);
    double average =
        profile.activeMilliwatts() * active + profile.sleepMilliwatts() * (1.0 - active);
    return new EnergyEstimate(
        profile.chip(),
        inferenceMicros,
        profile.activeMicrojoules(inferenceMicros),
        active,
        average);
  }
}
