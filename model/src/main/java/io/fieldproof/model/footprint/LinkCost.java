package io.fieldproof.model.footprint;

/**
 * What the device link costs a device: the time its frames take on the line, during which the chip
 * cannot sleep. Every chip talks to its gateway over a UART (the ESP32 port too: no Wi-Fi), at the
 * 115200 baud, 8N1 that docs/device-protocol.md recommends: 10 bits per byte, 86.8 µs a byte.
 *
 * <p>Frames are estimated, not measured: a TELEMETRY frame is 60 bytes (header, CRC, COBS code,
 * delimiter, and a body with {@code seq}, {@code uptimeMs} and no readings) plus 24 bytes per input
 * (a quoted name and a reading), so 84 bytes for one input and 108 for two (the protocol document's
 * example body is 80 bytes for two inputs); a STATS exchange, the agent's request and the device's
 * counters, is 600 bytes. Received bytes count like sent ones: the chip is awake while they arrive.
 */
public final class LinkCost {

  /** The line's speed: device-protocol.md recommends 115200 baud. */
  public static final long BAUD = 115_200;

  /** 8N1: a start bit, 8 data bits and a stop bit per byte. */
  public static final long BITS_PER_BYTE = 10;

  public static final long TELEMETRY_BASE_BYTES = 60;
  public static final long TELEMETRY_BYTES_PER_INPUT = 24;
  public static final long STATS_EXCHANGE_BYTES = 600;

  private LinkCost() {}

  /** Microseconds {@code bytes} take on the line. */
  public static double micros(long bytes) {
    return bytes * BITS_PER_BYTE * 1_000_000.0 / BAUD;
  }

  /** Bytes of one TELEMETRY frame carrying {@code inputs} readings. */
  public static long telemetryBytes(int inputs) {
    return TELEMETRY_BASE_BYTES + TELEMETRY_BYTES_PER_INPUT * inputs;
  }
}
