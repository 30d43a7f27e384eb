package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * SLIP framing over a {@link ByteLine}, host side: sends packets as {@code C0, escaped packet, C0}
 * and reads frames with a deadline. Bytes before a frame's opening 0xC0 (a boot banner, noise) are
 * skipped. A broken line is {@code LINK_LOST}, a broken escape {@code GARBLED}.
 */
final class SlipLink {

  private static final int END = 0xC0;
  private static final int ESC = 0xDB;
  private static final int ESC_END = 0xDC;
  private static final int ESC_ESC = 0xDD;
  private static final int MAX_FRAME = 0x10000;
  private static final Duration MAX_DRAIN = Duration.ofSeconds(2);

  private final ByteLine line;

  SlipLink(ByteLine line) {
    this.line = line;
  }

  ByteLine line() {
    return line;
  }

  /** Sends one packet; returns the bytes that went on the line. */
  int send(byte[] packet) throws FlashException {
    byte[] frame = encode(packet);
    try {
      line.write(frame);
      return frame.length;
    } catch (IOException e) {
      throw new FlashException(FlashFailure.LINK_LOST, "writing to " + line + " failed", e);
    }
  }

  /** The next non-empty frame, or empty when none completed before {@code deadlineNanos}. */
  Optional<byte[]> read(long deadlineNanos) throws FlashException {
    int b;
    do {
      b = next(deadlineNanos);
    } while (b >= 0 && b != END);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    while (b >= 0) {
      b = next(deadlineNanos);
      if (b == END && frame.size() > 0) {
        return Optional.of(frame.toByteArray());
      }
      if (b == ESC) {
        b = next(deadlineNanos);
        if (b < 0) {
          break;
        }
        frame.write(unescape(b));
      } else if (b >= 0 && b != END) {
        frame.write(b);
      }
      if (frame.size() > MAX_FRAME) {
        throw new FlashException(FlashFailure.GARBLED, "a frame from " + line + " never ends");
      }
    }
    return Optional.empty();
  }

  /**
   * Throws away what the chip is still sending: reads until the line stays quiet for {@code quiet}
   * (at most a few seconds), then drops anything buffered.
   */
  void drain(Duration quiet) throws FlashException {
    long giveUp = System.nanoTime() + MAX_DRAIN.toNanos();
    while (System.nanoTime() < giveUp && next(System.nanoTime() + quiet.toNanos()) >= 0) {
      // discarding: the loop reads until a quiet gap
    }
    line.discardInput();
  }

  static byte[] encode(byte[] packet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(packet.length + packet.length / 64 + 2);
    out.write(END);
    for (byte value : packet) {
      int b = value & 0xFF;
      if (b == END) {
        out.write(ESC);
        out.write(ESC_END);
      } else if (b == ESC) {
        out.write(ESC);
        out.write(ESC_ESC);
      } else {
        out.write(b);
      }
    }
    out.write(END);
    return out.toByteArray();
  }

  private int unescape(int b) throws FlashException {
    if (b == ESC_END) {
      return END;
    }
    if (b == ESC_ESC) {
      return ESC;
    }
    throw new FlashException(
        FlashFailure.GARBLED, "bad SLIP escape 0xDB 0x" + Integer.toHexString(b) + " from " + line);
  }

  /** One byte, or -1 once the deadline has passed. */
  private int next(long deadlineNanos) throws FlashException {
    try {
      return line.read(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    } catch (IOException e) {
      throw new FlashException(FlashFailure.LINK_LOST, "the line " + line + " closed", e);
    }
  }
}
