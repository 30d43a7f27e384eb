package io.fieldproof.agent.flash.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.InflaterOutputStream;
import org.junit.jupiter.api.Test;

class FlashImageTest {

  @Test
  void plainBlocksArePaddedWithErasedBytes() {
    byte[] data = new byte[1500];
    Arrays.fill(data, (byte) 0x11);

    FlashImage image = FlashImage.plain(data);

    assertThat(image.compressed()).isFalse();
    assertThat(image.blockCount()).isEqualTo(2);
    assertThat(image.eraseSize()).isEqualTo(1500);
    assertThat(image.block(1)).hasSize(0x400);
    assertThat(Arrays.copyOfRange(image.block(1), 0, 476)).containsOnly((byte) 0x11);
    assertThat(Arrays.copyOfRange(image.block(1), 476, 0x400)).containsOnly((byte) 0xFF);
    assertThat(image.writtenBy(1)).isEqualTo(476);
  }

  @Test
  void compressibleImagesGoAsOneZlibStreamInWholeBlocks() throws Exception {
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i / 100);
    }

    FlashImage image = FlashImage.smallest(data);

    assertThat(image.compressed()).isTrue();
    assertThat(image.eraseSize()).isEqualTo(10 * 1024);
    ByteArrayOutputStream inflated = new ByteArrayOutputStream();
    try (InflaterOutputStream inflater = new InflaterOutputStream(inflated)) {
      for (int i = 0; i < image.blockCount(); i++) {
        assertThat(image.block(i).length).isLessThanOrEqualTo(0x400);
        inflater.write(image.block(i));
      }
    }
    assertThat(inflated.toByteArray()).isEqualTo(data);
    assertThat(image.writtenAfter(image.blockCount() - 1)).isEqualTo(data.length);
  }

  @Test
  void incompressibleImagesGoPlain() {
    byte[] data = new byte[4096];
    new SplittableRandom(1).nextBytes(data);

    assertThat(FlashImage.smallest(data).compressed()).isFalse();
  }
}
