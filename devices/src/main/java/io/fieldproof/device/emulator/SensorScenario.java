package io.fieldproof.device.emulator;

/**
 * How a synthetic sensor behaves. Every scenario is a function of the sensor's baseline, scale and
 * seeded random stream, so the same seed and the same sequence of scenario changes give the same
 * readings. Amplitudes are in units of the sensor's scale.
 */
public enum SensorScenario {
  /** A healthy sensor: the baseline plus small noise (standard deviation 0.05 scale). */
  CLEAN,
  /** A noisy sensor: the baseline plus noise of standard deviation 1 scale. */
  NOISE,
  /** A drifting sensor: clean readings whose mean moves by 0.02 scale per reading. */
  DRIFT,
  /** Clean readings with a jump of 8 to 12 scale, either sign, in 5 % of readings. */
  SPIKES,
  /** A frozen sensor: repeats the last reading it gave before it froze. */
  STUCK,
  /** Clean readings interrupted by stretches of 5 to 20 missing (null) readings. */
  DROPOUT,
  /**
   * A sensor installed unlike the lab (another mounting, an uncalibrated offset): clean readings
   * around baseline + 5 scale, from the first reading on.
   */
  OFFSET;

  /** Standard deviation of the noise of clean readings, in scale units. */
  public static final double CLEAN_NOISE = 0.05;

  /** Mean shift per reading while drifting, in scale units. */
  public static final double DRIFT_PER_READING = 0.02;

  /** How far OFFSET readings sit from the baseline, in scale units. */
  public static final double OFFSET_SCALES = 5;

  /** Probability that a reading under SPIKES is a spike. */
  public static final double SPIKE_PROBABILITY = 0.05;

  /** Smallest spike, in scale units. */
  public static final double SPIKE_MIN = 8;

  /** Largest spike, in scale units. */
  public static final double SPIKE_MAX = 12;

  /** Probability that a reading under DROPOUT starts a stretch of missing readings. */
  public static final double DROPOUT_PROBABILITY = 0.1;

  /** Shortest stretch of missing readings. */
  public static final int DROPOUT_MIN = 5;

  /** Longest stretch of missing readings. */
  public static final int DROPOUT_MAX = 20;
}
