package io.fieldproof.device.protocol;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a received byte stream into frames at each 0x00 delimiter and decodes them. Owns the bytes
 * of the frame being received; a damaged frame is counted in {@link DroppedFrames} and skipped, an
 * over-long one is discarded up to the next delimiter without buffering it. Empty frames
 * (consecutive delimiters) are ignored: senders may emit a 0x00 to resynchronise. Not thread-safe:
 * one decoder per byte stream, fed by one thread at a time.
 */
public final class FrameDecoder {

  private static final int INITIAL_CAPACITY = 64;

  private final DroppedFrames dropped;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int length;
  private boolean overflowed;

  public FrameDecoder(DroppedFrames dropped) {
    this.dropped = dropped;
  }

  /** Feeds received bytes; every complete, valid frame is passed to {@code frames}. */
  public void feed(byte[] data, int offset, int count, Consumer<Frame> frames) {
    for (int i = offset; i < offset + count; i++) {
      byte b = data[i];
      if (b == FrameCodec.DELIMITER) {
        endOfFrame(frames);
      } else {
        append(b);
      }
    }
  }

  /** Forgets a partly received frame, for example when the stream was reconnected. */
  public void reset() {
    length = 0;
    overflowed = false;
  }

  private void append(byte b) {
    if (overflowed) {
      return;
    }
    if (length == FrameCodec.MAX_ENCODED_LENGTH) {
      overflowed = true;
      return;
    }
    if (length == buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, FrameCodec.MAX_ENCODED_LENGTH));
    }
    buffer[length++] = b;
  }

  private void endOfFrame(Consumer<Frame> frames) {
    boolean tooLong = overflowed;
    int frameLength = length;
    reset();
    if (tooLong) {
      dropped.record(FrameException.Reason.TOO_LONG);
      return;
    }
    if (frameLength == 0) {
      return;
    }
    Frame frame;
    try {
      frame = FrameCodec.decode(buffer, 0, frameLength);
    } catch (FrameException e) {
      dropped.record(e.reason());
      return;
    }
    frames.accept(frame);
  }
}
