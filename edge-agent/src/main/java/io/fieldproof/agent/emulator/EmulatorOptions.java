package io.fieldproof.agent.emulator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@link EmulatorMain}.
 *
 * @param chip the emulated chip
 * @param bindAddress the address to listen on
 * @param basePort port of the first emulator, the next ones count up from it; 0 picks free ports
 * @param seed seed of the first emulator, the next ones count up from it
 * @param count how many emulators to start
 * @param telemetryIntervalMs milliseconds between telemetry frames
 * @param scenarios sensor scenario per input name
 */
public record EmulatorOptions(
    Chip chip,
    String bindAddress,
    int basePort,
    long seed,
    int count,
    long telemetryIntervalMs,
    Map<String, SensorScenario> scenarios,
    java.nio.file.Path model,
    String modelVersion) {

  /** The usage text. */
  public static final String USAGE =
      """
      usage: EmulatorMain [--chip esp32|esp32s3|stm32f4|stm32l4] [--port P] [--seed S]
                          [--count N] [--base-port P] [--telemetry-ms MS]
                          [--scenario INPUT=CLEAN|NOISE|DRIFT|SPIKES|STUCK|DROPOUT]...
                          [--bind ADDRESS] [--model FILE.tflite [--model-version V]]
        Starts N emulators (default 1) on ports P, P+1, ... (default 7001; 0 = free ports)
        with seeds S, S+1, ... (default 1) and prints one line per emulator:
        <device id> <chip> tcp://<address>:<port>
        With --model, every emulator has that int8 model active in slot A and runs it.""";

  public EmulatorOptions {
    scenarios = Map.copyOf(scenarios);
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1");
    }
    if (basePort < 0 || (basePort > 0 && basePort + count - 1 > 0xFFFF)) {
      throw new IllegalArgumentException("ports must lie within 1..65535");
    }
    if (telemetryIntervalMs < 1) {
      throw new IllegalArgumentException("--telemetry-ms must be at least 1");
    }
  }

  /** Parses {@code args}; throws IllegalArgumentException with a reason on any error. */
  public static EmulatorOptions parse(String... args) {
    Chip chip = Chip.ESP32;
    String bind = "127.0.0.1";
    int port = 7001;
    Integer basePort = null;
    long seed = 1;
    int count = 1;
    long telemetryMs = 1000;
    Map<String, SensorScenario> scenarios = new LinkedHashMap<>();
    java.nio.file.Path model = null;
    String modelVersion = "1.0.0";
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--chip" -> chip = Chip.fromName(value);
        case "--bind" -> bind = value;
        case "--port" -> port = parseInt(option, value);
        case "--base-port" -> basePort = parseInt(option, value);
        case "--seed" -> seed = parseLong(option, value);
        case "--count" -> count = parseInt(option, value);
        case "--telemetry-ms" -> telemetryMs = parseLong(option, value);
        case "--scenario" -> addScenario(scenarios, value);
        case "--model" -> model = java.nio.file.Path.of(value);
        case "--model-version" -> modelVersion = value;
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new EmulatorOptions(
        chip,
        bind,
        basePort != null ? basePort : port,
        seed,
        count,
        telemetryMs,
        scenarios,
        model,
        modelVersion);
  }

  /** The port of emulator {@code index}. */
  public int port(int index) {
    return basePort == 0 ? 0 : basePort + index;
  }

  /** The seed of emulator {@code index}. */
  public long seed(int index) {
    return seed + index;
  }

  private static void addScenario(Map<String, SensorScenario> scenarios, String value) {
    int equals = value.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException("--scenario takes INPUT=SCENARIO, not " + value);
    }
    String scenario = value.substring(equals + 1).toUpperCase(Locale.ROOT);
    try {
      scenarios.put(value.substring(0, equals), SensorScenario.valueOf(scenario));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown scenario " + scenario, e);
    }
  }

  private static int parseInt(String option, String value) {
    return Math.toIntExact(parseLong(option, value));
  }

  private static long parseLong(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, not " + value, e);
    }
  }
}
