package io.fieldproof.device.emulator.esp32;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Cuts the host's byte stream into SLIP frames (0xC0 delimits, 0xDB 0xDC stands for 0xC0 and 0xDB
 * 0xDD for 0xDB). Bytes before the first 0xC0 are line noise and are ignored; empty frames too. A
 * frame with a broken escape or longer than the loader's buffer is dropped whole and reported. Not
 * thread-safe: fed by the line's one reader thread.
 */
final class SlipDecoder {

  static final int END = 0xC0;
  static final int ESC = 0xDB;
  static final int ESC_END = 0xDC;
  static final int ESC_ESC = 0xDD;

  private final int maxFrame;
  private final Consumer<byte[]> frames;
  private final Runnable dropped;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private boolean inFrame;
  private boolean escaping;
  private boolean broken;

  /**
   * @param maxFrame the longest decoded frame the loader accepts
   * @param frames gets each intact, non-empty frame
   * @param dropped told of each frame dropped for a broken escape or its length
   */
  SlipDecoder(int maxFrame, Consumer<byte[]> frames, Runnable dropped) {
    this.maxFrame = maxFrame;
    this.frames = frames;
    this.dropped = dropped;
  }

  void feed(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      feed(data[i] & 0xFF);
    }
  }

  private void feed(int b) {
    if (b == END) {
      endFrame();
    } else if (inFrame && !broken) {
      inFrameByte(b);
    }
  }

  private void inFrameByte(int b) {
    if (escaping) {
      escaping = false;
      if (b == ESC_END) {
        append(END);
      } else if (b == ESC_ESC) {
        append(ESC);
      } else {
        broken = true;
      }
    } else if (b == ESC) {
      escaping = true;
    } else {
      append(b);
    }
  }

  private void append(int b) {
    if (current.size() == maxFrame) {
      broken = true;
    } else {
      current.write(b);
    }
  }

  private void endFrame() {
    if (inFrame && (broken || escaping)) {
      dropped.run();
    } else if (inFrame && current.size() > 0) {
      frames.accept(current.toByteArray());
    }
    current.reset();
    inFrame = true;
    escaping = false;
    broken = false;
  }
}
