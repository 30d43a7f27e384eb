package io.fieldproof.device.emulator;

import io.fieldproof.device.protocol.Hello;
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
 * @param model a model every emulator has in slot A, or null
 * @param modelVersion the version recorded for that model
 * @param flashing the bootloader line and the fault options
 * @param flashFile the file the (first) emulator keeps its flash in, null to keep it in memory
 * @param board the battery and link every emulator reports
 * @param held readings every emulator holds instead of its scenarios, always or in episodes
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
    String modelVersion,
    Flashing flashing,
    java.nio.file.Path flashFile,
    Board board,
    HeldReadings held) {

  /**
   * The battery and link the emulators report in STATS (docs/device-runtime.md).
   *
   * @param batteryPercent the battery level at start, null for none (mains powered)
   * @param batteryPerMinute how fast it changes, percent per minute (negative: draining)
   * @param link the link figure, RSSI in dBm for an ESP32, line frame errors per mille for an
   *     STM32; null for none
   */
  public record Board(Double batteryPercent, double batteryPerMinute, Integer link) {

    static Board none() {
      return new Board(null, 0, null);
    }

    void apply(DeviceEmulator.Builder builder) {
      if (batteryPercent != null) {
        builder.battery(batteryPercent, batteryPerMinute);
      }
      if (link != null) {
        builder.link(link);
      }
    }
  }

  /**
   * The chip's ROM bootloader line and the faults to inject.
   *
   * @param bootPort first port of the bootloader lines (one per emulator, counting up; 0 picks free
   *     ports), null for none
   * @param baud speed the bootloader line starts at (esptool's CHANGE_BAUDRATE changes it); 0 does
   *     not pace it
   * @param corruption fraction of bytes received on the bootloader line, and of runtime frames
   *     sent, that arrive damaged
   * @param hangAfterBytes the bootloader stops answering after this many received bytes, -1 never
   * @param powerCutAfterBytes the power goes after this many bytes programmed into flash, -1 never
   * @param runtime the runtime protocol of the firmware: fieldproof-rt/3, /2 or /1
   * @param selfTestSkew added to every self-test output of the firmware (0: none)
   */
  public record Flashing(
      Integer bootPort,
      int baud,
      double corruption,
      long hangAfterBytes,
      long powerCutAfterBytes,
      String runtime,
      int selfTestSkew) {

    static Flashing defaults() {
      return new Flashing(null, 115200, 0, -1, -1, Hello.RUNTIME_V3, 0);
    }
  }

  /** The usage text. */
  public static final String USAGE =
      """
      usage: EmulatorMain [--chip esp32|esp32s3|stm32f4|stm32l4] [--port P] [--seed S]
                          [--count N] [--base-port P] [--telemetry-ms MS]
                          [--scenario INPUT=CLEAN|NOISE|DRIFT|SPIKES|STUCK|DROPOUT]...
                          [--bind ADDRESS] [--model FILE.tflite [--model-version V]]
                          [--flash-file PATH] [--battery PERCENT[/PER_MINUTE]] [--link FIGURE]
                          [--hold INPUT=VALUE]... [--hold-cycle ON/OFF[xCOUNT]]
        Starts N emulators (default 1) on ports P, P+1, ... (default 7001; 0 = free ports)
        with seeds S, S+1, ... (default 1) and prints one line per emulator:
        <device id> <chip> tcp://<address>:<port>
        With --model, every blank emulator has that int8 model active in slot A and runs it.
        --flash-file keeps the flash in PATH (with --count above 1: PATH.<seed> each), a raw
        image created blank when missing, so that starting again on it is a reboot: slots
        and records are kept, the runtime configuration is not. Default: flash in memory.
        --battery reports a battery at PERCENT that changes by PER_MINUTE percent a minute
        (80/-0.5 drains); --link reports the link figure, Wi-Fi RSSI in dBm on an ESP32
        (-67), the line's frame errors per mille on an STM32 (20). Default: neither.
        --hold makes every emulator read VALUE on INPUT instead of its scenario; with
        --hold-cycle, in episodes of ON seconds with OFF seconds of the scenarios between them,
        COUNT episodes (default: no end), counted from when every emulator has a runtime
        configuration (a regime of the field, e.g. a pump at low load, for the devices to capture).
      flashing and faults:
                          [--boot-port P] [--baud B] [--corrupt RATE] [--hang-after BYTES]
                          [--power-cut-after BYTES] [--runtime 1|2|3] [--selftest-skew D]
        --boot-port serves each chip's ROM bootloader (ESP32: esptool's serial protocol,
        STM32: AN3155) on P, P+1, ... (0 = free ports); a host connecting there resets the
        chip into it, leaving resets it into the firmware. --baud paces that line (default
        115200; 0 = unpaced). --corrupt damages that fraction of bytes received by the
        bootloader and of runtime frames sent. --hang-after makes the bootloader go silent
        after that many bytes. --power-cut-after cuts the power after that many bytes are
        programmed into flash. --runtime 1 emulates firmware without slot commands, --runtime 2 without CAPTURE.
        --selftest-skew makes the firmware's self-test outputs off by D.""";

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
    if (flashing.baud() < 0) {
      throw new IllegalArgumentException("--baud must not be negative");
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
    Flashing defaults = Flashing.defaults();
    Integer bootPort = defaults.bootPort();
    int baud = defaults.baud();
    double corruption = defaults.corruption();
    long hangAfter = defaults.hangAfterBytes();
    long powerCut = defaults.powerCutAfterBytes();
    String runtime = defaults.runtime();
    int skew = defaults.selfTestSkew();
    java.nio.file.Path flashFile = null;
    Board board = Board.none();
    HeldReadings held = HeldReadings.none();
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
        case "--boot-port" -> bootPort = parseInt(option, value);
        case "--baud" -> baud = parseInt(option, value);
        case "--corrupt" -> corruption = parseRate(option, value);
        case "--hang-after" -> hangAfter = parseLong(option, value);
        case "--power-cut-after" -> powerCut = parseLong(option, value);
        case "--runtime" -> runtime = runtime(value);
        case "--selftest-skew" -> skew = parseInt(option, value);
        case "--flash-file" -> flashFile = java.nio.file.Path.of(value);
        case "--battery" -> board = battery(board, value);
        case "--hold" -> held = held.with(value);
        case "--hold-cycle" -> held = held.cycling(value);
        case "--link" ->
            board =
                new Board(
                    board.batteryPercent(), board.batteryPerMinute(), parseInt(option, value));
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
        modelVersion,
        new Flashing(bootPort, baud, corruption, hangAfter, powerCut, runtime, skew),
        flashFile,
        board,
        held);
  }

  private static Board battery(Board board, String value) {
    String[] parts = value.split("/", 2);
    try {
      double percent = Double.parseDouble(parts[0]);
      double perMinute = parts.length == 2 ? Double.parseDouble(parts[1]) : 0;
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("--battery needs a percent within 0..100, not " + value);
      }
      return new Board(percent, perMinute, board.link());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--battery takes PERCENT or PERCENT/PER_MINUTE, not " + value, e);
    }
  }

  /**
   * The flash file of emulator {@code index}: the one given for a single emulator, {@code
   * <file>.<seed>} for each of several; null when the flash stays in memory.
   */
  public java.nio.file.Path flashFile(int index) {
    if (flashFile == null || count == 1) {
      return flashFile;
    }
    return flashFile.resolveSibling(flashFile.getFileName() + "." + seed(index));
  }

  /** The bootloader port of emulator {@code index}, or null without bootloader lines. */
  public Integer bootPort(int index) {
    Integer first = flashing.bootPort();
    return first == null ? null : first == 0 ? 0 : first + index;
  }

  private static String runtime(String value) {
    return switch (value) {
      case "1" -> Hello.RUNTIME_V1;
      case "2" -> Hello.RUNTIME_V2;
      case "3" -> Hello.RUNTIME_V3;
      default -> throw new IllegalArgumentException("--runtime takes 1, 2 or 3, not " + value);
    };
  }

  private static double parseRate(String option, String value) {
    try {
      double rate = Double.parseDouble(value);
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a fraction within 0..1, not " + value, e);
    }
    throw new IllegalArgumentException(option + " needs a fraction within 0..1, not " + value);
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
