package io.fieldproof.device.emulator.line;

/**
 * How an emulated serial line behaves.
 *
 * @param baud the starting speed in baud; 0 delivers bytes as fast as the socket does
 * @param bitsPerByte bits on the wire per byte: 10 for 8N1, 11 for 8E1
 * @param corruptionRate probability in 0..1 that a byte from the host arrives with a flipped bit
 * @param hangAfterBytes the device stops answering after this many received bytes, until the next
 *     connection (a reset); -1 never
 * @param seed seeds the corruption, so a run can be repeated
 */
public record LineSettings(
    int baud, int bitsPerByte, double corruptionRate, long hangAfterBytes, long seed) {

  public LineSettings {
    if (baud < 0) {
      throw new IllegalArgumentException("baud must not be negative");
    }
    if (bitsPerByte < 8) {
      throw new IllegalArgumentException("a byte takes at least 8 bits");
    }
    if (!(corruptionRate >= 0 && corruptionRate <= 1)) {
      throw new IllegalArgumentException("corruption rate must lie within 0..1");
    }
  }

  /** A perfect line, unpaced. */
  public static LineSettings ideal() {
    return new LineSettings(0, 10, 0, -1, 1);
  }

  public LineSettings withBaud(int newBaud) {
    return new LineSettings(newBaud, bitsPerByte, corruptionRate, hangAfterBytes, seed);
  }

  public LineSettings withBitsPerByte(int bits) {
    return new LineSettings(baud, bits, corruptionRate, hangAfterBytes, seed);
  }

  public LineSettings withCorruption(double rate, long newSeed) {
    return new LineSettings(baud, bitsPerByte, rate, hangAfterBytes, newSeed);
  }

  public LineSettings withHangAfter(long bytes) {
    return new LineSettings(baud, bitsPerByte, corruptionRate, bytes, seed);
  }
}
