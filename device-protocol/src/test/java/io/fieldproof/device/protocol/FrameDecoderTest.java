package io.fieldproof.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private final DroppedFrames dropped = new DroppedFrames();
  private final FrameDecoder decoder = new FrameDecoder(dropped);
  private final List<Frame> frames = new ArrayList<>();

  @Test
  void deliversFramesSplitAcrossReadsAndSeveralPerRead() {
    Frame first = Frame.request(0x01, 1, bytes("{}"));
    Frame second = Frame.request(0x03, 2, new byte[] {0, 0, 0});
    byte[] stream = concat(FrameCodec.encode(first), FrameCodec.encode(second));

    for (byte b : stream) {
      feed(new byte[] {b});
    }
    feed(stream);

    assertThat(frames).containsExactly(first, second, first, second);
    assertThat(dropped.total()).isZero();
  }

  @Test
  void ignoresEmptyFramesBetweenDelimiters() {
    Frame frame = Frame.request(0x01, 1, bytes("{}"));

    feed(concat(new byte[] {0, 0, 0}, FrameCodec.encode(frame), new byte[] {0}));

    assertThat(frames).containsExactly(frame);
    assertThat(dropped.total()).isZero();
  }

  @Test
  void dropsAndCountsACorruptedFrameThenDeliversTheNextOne() {
    byte[] raw = FrameCodec.toRaw(Frame.request(0x01, 1, bytes("{}")));
    raw[7] ^= 0x01;
    Frame good = Frame.request(0x01, 2, bytes("{}"));

    feed(concat(FrameCodec.toWire(raw), FrameCodec.encode(good)));

    assertThat(frames).containsExactly(good);
    assertThat(dropped.count(FrameException.Reason.BAD_CRC)).isEqualTo(1);
  }

  @Test
  void dropsAndCountsATruncatedFrame() {
    byte[] wire = FrameCodec.encode(Frame.request(0x01, 1, bytes("{\"a\":1}")));
    byte[] truncated = Arrays.copyOf(wire, wire.length / 2);

    feed(concat(truncated, new byte[] {0}));

    assertThat(frames).isEmpty();
    assertThat(dropped.total()).isEqualTo(1);
  }

  @Test
  void dropsGarbageAndAnOverlongFrameWithoutBufferingIt() {
    byte[] garbage = bytes("line noise");
    byte[] overlong = new byte[FrameCodec.MAX_ENCODED_LENGTH * 3];
    Arrays.fill(overlong, (byte) 0x55);
    Frame good = Frame.request(0x02, 3, bytes("{}"));

    feed(concat(garbage, new byte[] {0}, overlong, new byte[] {0}, FrameCodec.encode(good)));

    assertThat(frames).containsExactly(good);
    assertThat(dropped.total()).isEqualTo(2);
    assertThat(dropped.count(FrameException.Reason.TOO_LONG)).isEqualTo(1);
  }

  @Test
  void resetForgetsAPartialFrame() {
    byte[] wire = FrameCodec.encode(Frame.request(0x01, 1, bytes("{}")));
    feed(Arrays.copyOf(wire, 4));

    decoder.reset();
    feed(wire);

    assertThat(frames).hasSize(1);
    assertThat(dropped.total()).isZero();
  }

  private void feed(byte[] data) {
    decoder.feed(data, 0, data.length, frames::add);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
