package io.fieldproof.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CobsTest {

  @Test
  void encodesTheClassicExamples() {
    assertThat(Cobs.encode(new byte[] {})).containsExactly(0x01);
    assertThat(Cobs.encode(new byte[] {0})).containsExactly(0x01, 0x01);
    assertThat(Cobs.encode(new byte[] {0, 0})).containsExactly(0x01, 0x01, 0x01);
    assertThat(Cobs.encode(new byte[] {0x11, 0x22, 0x00, 0x33}))
        .containsExactly(0x03, 0x11, 0x22, 0x02, 0x33);
    assertThat(Cobs.encode(new byte[] {0x11, 0x00, 0x00, 0x00}))
        .containsExactly(0x02, 0x11, 0x01, 0x01, 0x01);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 253, 254, 255, 256, 507, 508, 509, 4106})
  void roundTripsRunsWithoutZerosAroundTheBlockLimit(int length) throws FrameException {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i % 255 + 1);
    }
    byte[] encoded = Cobs.encode(data);

    assertThat(encoded).doesNotContain((byte) 0);
    assertThat(encoded.length).isLessThanOrEqualTo(Cobs.maxEncodedLength(length));
    assertThat(Cobs.decode(encoded, 0, encoded.length)).isEqualTo(data);
  }

  @Test
  void roundTripsRandomDataFullOfZeros() throws FrameException {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 500; round++) {
      byte[] data = new byte[random.nextInt(0, 1200)];
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextInt(4) == 0 ? 0 : (byte) random.nextInt(256);
      }
      byte[] encoded = Cobs.encode(data);

      assertThat(encoded).doesNotContain((byte) 0);
      assertThat(Cobs.decode(encoded, 0, encoded.length)).isEqualTo(data);
    }
  }

  @Test
  void rejectsABlockRunningPastTheEnd() {
    byte[] encoded = {0x05, 0x11, 0x22};

    assertThatThrownBy(() -> Cobs.decode(encoded, 0, encoded.length))
        .isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameException.Reason.BAD_COBS);
  }

  @Test
  void rejectsAZeroByteInsideTheFrame() {
    byte[] encoded = {0x03, 0x11, 0x00, 0x01};

    assertThatThrownBy(() -> Cobs.decode(encoded, 0, encoded.length))
        .isInstanceOf(FrameException.class);
  }
}
