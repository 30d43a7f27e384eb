package io.fieldproof.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  @Test
  void laysOutHeaderBodyAndCrcLittleEndian() {
    Frame frame = Frame.request(0x01, 0x0102, "{}".getBytes(StandardCharsets.UTF_8));

    byte[] raw = FrameCodec.toRaw(frame);

    assertThat(Arrays.copyOf(raw, 8)).containsExactly(0x01, 0x00, 0x02, 0x01, 0x02, 0x00, '{', '}');
    CRC32 crc = new CRC32();
    crc.update(raw, 0, 8);
    long expected = crc.getValue();
    assertThat(raw[8] & 0xFF).isEqualTo((int) (expected & 0xFF));
    assertThat(raw[11] & 0xFF).isEqualTo((int) (expected >>> 24));
  }

  @Test
  void roundTripsBodiesWithZeroBytes() throws FrameException {
    byte[] body = {0, 0, 1, 0, 2, 0, 0};
    Frame frame = new Frame(0x10, Frame.FLAG_RESPONSE | Frame.FLAG_ERROR, 65535, body);

    byte[] wire = FrameCodec.encode(frame);

    assertThat(wire[wire.length - 1]).isZero();
    assertThat(Arrays.copyOf(wire, wire.length - 1)).doesNotContain((byte) 0);
    assertThat(FrameCodec.decode(wire, 0, wire.length - 1)).isEqualTo(frame);
  }

  @Test
  void roundTripsAMaximumSizeBodyOfZeros() throws FrameException {
    Frame frame = Frame.request(0x02, 9, new byte[FrameCodec.MAX_BODY_LENGTH]);

    byte[] wire = FrameCodec.encode(frame);

    assertThat(wire.length - 1).isLessThanOrEqualTo(FrameCodec.MAX_ENCODED_LENGTH);
    assertThat(FrameCodec.decode(wire, 0, wire.length - 1)).isEqualTo(frame);
  }

  @Test
  void refusesToBuildABodyOverTheMaximum() {
    assertThatThrownBy(() -> Frame.request(0x02, 1, new byte[FrameCodec.MAX_BODY_LENGTH + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsACrcMismatch() {
    byte[] raw = FrameCodec.toRaw(Frame.request(0x03, 1, new byte[] {'{', '}'}));
    raw[6] ^= 0x20;

    assertThatThrownBy(() -> FrameCodec.fromRaw(raw))
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameException.Reason.BAD_CRC);
  }

  @Test
  void rejectsTruncatedFramesAndLengthMismatches() {
    byte[] raw = FrameCodec.toRaw(Frame.request(0x03, 1, new byte[] {'{', '}'}));

    assertThatThrownBy(() -> FrameCodec.fromRaw(Arrays.copyOf(raw, 9)))
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameException.Reason.BAD_LENGTH);
    assertThatThrownBy(() -> FrameCodec.fromRaw(Arrays.copyOf(raw, raw.length - 1)))
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameException.Reason.BAD_LENGTH);
  }

  @Test
  void rejectsABodyLengthOverTheMaximum() {
    byte[] raw = new byte[FrameCodec.HEADER_LENGTH + FrameCodec.CRC_LENGTH];
    raw[4] = (byte) 0xFF;
    raw[5] = (byte) 0xFF;

    assertThatThrownBy(() -> FrameCodec.fromRaw(raw))
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameException.Reason.BAD_LENGTH);
  }
}
