package io.fieldproof.agent.flash.stm32;

import java.time.Duration;

/**
 * How the flasher talks to an STM32 USART bootloader. Every timeout is the time the bytes take on
 * the line at {@code baud} (doubled for margin) plus {@code latency}; erases add {@code
 * eraseTimePerKib} for each KiB erased.
 *
 * @param baud the line's speed; 0 when unknown or unpaced (timeouts are then the latency alone)
 * @param bitsPerByte bits on the wire per byte: 11 for the bootloader's 8E1
 * @param latency what the line adds to any answer (a USB adapter, a TCP bridge, scheduling)
 * @param attempts tries per command before it fails; each failed try is followed by a resync
 * @param syncAttempts how often 0x7F is sent before giving up on the bootloader
 * @param eraseTimePerKib the longest time erasing one KiB of flash takes
 */
public record Stm32BootOptions(
    int baud,
    int bitsPerByte,
    Duration latency,
    int attempts,
    int syncAttempts,
    Duration eraseTimePerKib) {

  public Stm32BootOptions {
    if (baud < 0 || bitsPerByte < 8) {
      throw new IllegalArgumentException("baud must not be negative, a byte takes 8 bits or more");
    }
    if (attempts < 1 || syncAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt is needed");
    }
  }

  /**
   * 8E1 at {@code baud}, 100 ms latency, 5 tries per command and 5 sync bytes, 32 ms per KiB erased
   * (a 128 KiB STM32F4 sector takes up to about 4 s, a 2 KiB STM32L4 page a few tens of
   * milliseconds).
   */
  public static Stm32BootOptions at(int baud) {
    return new Stm32BootOptions(baud, 11, Duration.ofMillis(100), 5, 5, Duration.ofMillis(32));
  }

  /** How long an answer may take when {@code bytes} bytes cross the line, both ways together. */
  public Duration within(int bytes) {
    if (baud == 0) {
      return latency;
    }
    long lineNanos = 2L * bytes * bitsPerByte * 1_000_000_000L / baud;
    return latency.plusNanos(lineNanos);
  }

  /** How long erasing {@code bytes} bytes of flash may take, the line aside. */
  public Duration eraseTime(long bytes) {
    return eraseTimePerKib.multipliedBy((bytes + 1023) / 1024);
  }
}
