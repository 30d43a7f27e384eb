package io.fieldproof.agent.flash.stm32;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * The host end of the bootloader's byte line: sends bytes, waits for ACK with a deadline, reads
 * answers, and turns what goes wrong into {@link FlashException}s (no answer: TIMEOUT, NACK:
 * REFUSED, any other byte: GARBLED, a broken line: LINK_LOST).
 */
final class Stm32Link {

  static final int ACK = 0x79;
  static final int NACK = 0x1F;

  /** More than any answer of the bootloader: a line that keeps talking is not one. */
  private static final int MAX_DRAIN = 4096;

  private final ByteLine line;
  private final Stm32BootOptions options;

  Stm32Link(ByteLine line, Stm32BootOptions options) {
    this.line = line;
    this.options = options;
  }

  Stm32BootOptions options() {
    return options;
  }

  void send(byte... bytes) throws FlashException {
    try {
      line.write(bytes);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** One byte, or -1 when none came within {@code timeout}. */
  int read(Duration timeout) throws FlashException {
    try {
      return line.read(timeout);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Waits for ACK. */
  void expectAck(Duration timeout, String what) throws FlashException {
    int reply = read(timeout);
    if (reply == ACK) {
      return;
    }
    if (reply < 0) {
      throw new FlashException(
          FlashFailure.TIMEOUT, what + ": no answer within " + timeout.toMillis() + " ms");
    }
    if (reply == NACK) {
      throw new FlashException(FlashFailure.REFUSED, what + ": the bootloader answered NACK");
    }
    throw new FlashException(
        FlashFailure.GARBLED, String.format("%s: answered 0x%02X instead of ACK", what, reply));
  }

  /** Reads exactly {@code count} bytes, all of them within {@code timeout}. */
  byte[] readExactly(int count, Duration timeout, String what) throws FlashException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] bytes = new byte[count];
    for (int i = 0; i < count; i++) {
      int value = read(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (value < 0) {
        throw new FlashException(
            FlashFailure.TIMEOUT,
            what + ": " + i + " of " + count + " bytes came within " + timeout.toMillis() + " ms");
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  /**
   * Collects what arrives: waits up to {@code first} for a first byte, then takes bytes until none
   * came for {@code quiet}, or {@value #MAX_DRAIN} came.
   */
  byte[] drain(Duration first, Duration quiet) throws FlashException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    int value = read(first);
    while (value >= 0 && answer.size() < MAX_DRAIN) {
      answer.write(value);
      value = read(quiet);
    }
    return answer.toByteArray();
  }

  void discardInput() {
    line.discardInput();
  }

  private FlashException lost(IOException e) {
    return new FlashException(
        FlashFailure.LINK_LOST, "the line " + line.uri() + " broke: " + e.getMessage(), e);
  }
}
