package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticSensorTest {

  private static final double BASELINE = 50;
  private static final double SCALE = 2;
  private static final SensorInput INPUT = new SensorInput("temperature_c", BASELINE, SCALE);

  @ParameterizedTest
  @EnumSource(SensorScenario.class)
  void everyScenarioIsDeterministicForASeed(SensorScenario scenario) {
    assertThat(readings(scenario, 42, 500)).isEqualTo(readings(scenario, 42, 500));
  }

  @Test
  void differentSeedsGiveDifferentReadings() {
    assertThat(readings(SensorScenario.NOISE, 1, 50))
        .isNotEqualTo(readings(SensorScenario.NOISE, 2, 50));
  }

  @Test
  void cleanStaysCloseToTheBaseline() {
    List<Double> values = readings(SensorScenario.CLEAN, 3, 2000);

    assertThat(mean(values)).isCloseTo(BASELINE, within(0.05 * SCALE));
    assertThat(values).allSatisfy(v -> assertThat(Math.abs(v - BASELINE)).isLessThan(SCALE));
    assertThat(values.stream().distinct().count()).isGreaterThan(1000);
  }

  @Test
  void noiseHasAStandardDeviationOfOneScale() {
    List<Double> values = readings(SensorScenario.NOISE, 4, 4000);

    assertThat(mean(values)).isCloseTo(BASELINE, within(0.1 * SCALE));
    assertThat(standardDeviation(values)).isCloseTo(SCALE, within(0.1 * SCALE));
  }

  @Test
  void offsetSitsFiveScalesFromTheBaselineFromTheFirstReading() {
    List<Double> values = readings(SensorScenario.OFFSET, 6, 1000);

    double installedAt = BASELINE + SensorScenario.OFFSET_SCALES * SCALE;
    assertThat(values.get(0)).isCloseTo(installedAt, within(SCALE));
    assertThat(mean(values)).isCloseTo(installedAt, within(0.05 * SCALE));
    assertThat(standardDeviation(values))
        .isCloseTo(SensorScenario.CLEAN_NOISE * SCALE, within(0.01 * SCALE));
  }

  @Test
  void driftMovesTheMeanLinearly() {
    List<Double> values = readings(SensorScenario.DRIFT, 5, 1000);

    double early = mean(values.subList(0, 100));
    double late = mean(values.subList(900, 1000));
    double expectedShift = SensorScenario.DRIFT_PER_READING * SCALE * 900;
    assertThat(late - early).isCloseTo(expectedShift, within(0.05 * expectedShift));
  }

  @Test
  void spikesExceedFiveScalesInAFewPercentOfReadings() {
    List<Double> values = readings(SensorScenario.SPIKES, 6, 4000);

    long spikes = values.stream().filter(v -> Math.abs(v - BASELINE) > 5 * SCALE).count();
    assertThat(spikes).isBetween(100L, 300L);
    assertThat(readings(SensorScenario.CLEAN, 6, 4000))
        .noneMatch(v -> Math.abs(v - BASELINE) > 5 * SCALE);
  }

  @Test
  void stuckRepeatsTheLastReadingBeforeItFroze() {
    SyntheticSensor sensor = new SyntheticSensor(INPUT, SensorScenario.NOISE, 7);
    Double last = null;
    for (int i = 0; i < 10; i++) {
      last = sensor.read();
    }

    sensor.setScenario(SensorScenario.STUCK);

    for (int i = 0; i < 100; i++) {
      assertThat(sensor.read()).isEqualTo(last);
    }
  }

  @Test
  void dropoutGivesStretchesOfNulls() {
    List<Double> values = readings(SensorScenario.DROPOUT, 8, 2000);

    List<Integer> stretches = nullStretches(values);
    assertThat(stretches).hasSizeGreaterThan(10);
    assertThat(stretches.subList(0, stretches.size() - 1))
        .allSatisfy(
            length -> assertThat(length).isGreaterThanOrEqualTo(SensorScenario.DROPOUT_MIN));
    assertThat(values.stream().filter(Objects::nonNull).count()).isGreaterThan(500);
  }

  @Test
  void driftStartsFromTheCurrentMeanWhenSwitchedOnLater() {
    SyntheticSensor sensor = new SyntheticSensor(INPUT, SensorScenario.CLEAN, 9);
    for (int i = 0; i < 100; i++) {
      sensor.read();
    }

    sensor.setScenario(SensorScenario.DRIFT);

    assertThat(sensor.read()).isCloseTo(BASELINE, within(SCALE));
  }

  private static List<Double> readings(SensorScenario scenario, long seed, int count) {
    SyntheticSensor sensor = new SyntheticSensor(INPUT, scenario, seed);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(sensor.read());
    }
    return values;
  }

  private static List<Integer> nullStretches(List<Double> values) {
    List<Integer> stretches = new ArrayList<>();
    int run = 0;
    for (Double value : values) {
      if (value == null) {
        run++;
      } else if (run > 0) {
        stretches.add(run);
        run = 0;
      }
    }
    if (run > 0) {
      stretches.add(run);
    }
    return stretches;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static double standardDeviation(List<Double> values) {
    double mean = mean(values);
    double variance =
        values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow();
    return Math.sqrt(variance);
  }
}
