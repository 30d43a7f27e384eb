package io.fieldproof.device.emulator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The synthetic sensors of one emulated device, one per configured input, in configuration order.
 * Owns the scenario chosen for each input name, including names not configured yet. A sensor keeps
 * its state across reconfigurations that keep its input. Not thread-safe.
 */
final class SensorBank {

  private final long seed;
  private final SensorScenario defaultScenario;
  private final Map<String, SensorScenario> scenarios = new HashMap<>();
  private final Map<String, Optional<Double>> held = new HashMap<>();
  private Map<String, SyntheticSensor> sensors = new LinkedHashMap<>();

  SensorBank(long seed, SensorScenario defaultScenario) {
    this.seed = seed;
    this.defaultScenario = defaultScenario;
  }

  /** Replaces the set of sensors by one per input. */
  void configure(List<SensorInput> inputs) {
    Map<String, SyntheticSensor> next = new LinkedHashMap<>();
    for (SensorInput input : inputs) {
      SyntheticSensor kept = sensors.get(input.name());
      next.put(input.name(), kept != null ? kept : newSensor(input));
    }
    sensors = next;
  }

  void setScenario(String input, SensorScenario scenario) {
    scenarios.put(input, scenario);
    SyntheticSensor sensor = sensors.get(input);
    if (sensor != null) {
      sensor.setScenario(scenario);
    }
  }

  SensorScenario scenario(String input) {
    return scenarios.getOrDefault(input, defaultScenario);
  }

  /** Input {@code input} reads {@code value} (null: a dropout) until released. */
  void hold(String input, Double value) {
    held.put(input, Optional.ofNullable(value));
  }

  void release(String input) {
    held.remove(input);
  }

  /** The readings held now, per input (empty: held as a dropout). */
  Map<String, Optional<Double>> held() {
    return Map.copyOf(held);
  }

  boolean isEmpty() {
    return sensors.isEmpty();
  }

  /** One reading of every sensor; null values are dropouts. */
  Map<String, Double> read() {
    Map<String, Double> readings = new LinkedHashMap<>();
    sensors.forEach(
        (name, sensor) -> {
          Optional<Double> fixed = held.get(name);
          readings.put(name, fixed != null ? fixed.orElse(null) : sensor.read());
        });
    return readings;
  }

  private SyntheticSensor newSensor(SensorInput input) {
    return new SyntheticSensor(input, scenario(input.name()), sensorSeed(input.name()));
  }

  private long sensorSeed(String name) {
    return new SplittableRandom(seed ^ (long) name.hashCode() * 0x9E3779B97F4A7C15L).nextLong();
  }
}
