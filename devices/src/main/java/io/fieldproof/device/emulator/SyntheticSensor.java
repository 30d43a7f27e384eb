package io.fieldproof.device.emulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

/**
 * One synthetic sensor: produces a reading per call to {@link #read()} according to its current
 * {@link SensorScenario}, from its own seeded random stream. Readings are rounded to six
 * significant digits, as a float on the device would carry. Not thread-safe.
 */
public final class SyntheticSensor {

  private static final MathContext SIX_DIGITS = new MathContext(6);

  private final SensorInput input;
  private final SplittableRandom random;
  private SensorScenario scenario;
  private long readingsInScenario;
  private double lastValue;
  private int dropoutLeft;

  public SyntheticSensor(SensorInput input, SensorScenario scenario, long seed) {
    this.input = input;
    this.random = new SplittableRandom(seed);
    this.scenario = scenario;
    this.lastValue = input.baseline();
  }

  public String name() {
    return input.name();
  }

  public SensorScenario scenario() {
    return scenario;
  }

  /** Switches the scenario; DRIFT starts from the current mean, STUCK freezes the last reading. */
  public void setScenario(SensorScenario next) {
    if (next != scenario) {
      scenario = next;
      readingsInScenario = 0;
      dropoutLeft = 0;
    }
  }

  /** The next reading, or null for a dropout. */
  public Double read() {
    Double value = sample();
    readingsInScenario++;
    if (value != null) {
      lastValue = value;
    }
    return value;
  }

  private Double sample() {
    return switch (scenario) {
      case CLEAN -> clean();
      case NOISE -> round(input.baseline() + input.scale() * random.nextGaussian());
      case DRIFT ->
          round(clean() + SensorScenario.DRIFT_PER_READING * input.scale() * readingsInScenario);
      case SPIKES -> spiky();
      case STUCK -> lastValue;
      case DROPOUT -> droppingOut();
      case OFFSET -> round(clean() + SensorScenario.OFFSET_SCALES * input.scale());
    };
  }

  private double clean() {
    return round(
        input.baseline() + SensorScenario.CLEAN_NOISE * input.scale() * random.nextGaussian());
  }

  private double spiky() {
    double value = clean();
    if (random.nextDouble() < SensorScenario.SPIKE_PROBABILITY) {
      double magnitude =
          SensorScenario.SPIKE_MIN
              + (SensorScenario.SPIKE_MAX - SensorScenario.SPIKE_MIN) * random.nextDouble();
      double sign = random.nextBoolean() ? 1 : -1;
      value = round(value + sign * magnitude * input.scale());
    }
    return value;
  }

  private Double droppingOut() {
    if (dropoutLeft == 0 && random.nextDouble() < SensorScenario.DROPOUT_PROBABILITY) {
      dropoutLeft = random.nextInt(SensorScenario.DROPOUT_MIN, SensorScenario.DROPOUT_MAX + 1);
    }
    if (dropoutLeft > 0) {
      dropoutLeft--;
      return null;
    }
    return clean();
  }

  private static double round(double value) {
    return new BigDecimal(value).round(SIX_DIGITS).doubleValue();
  }
}
