package io.fieldproof.device.emulator.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlipCodecTest {

  private final List<byte[]> frames = new ArrayList<>();
  private final AtomicInteger dropped = new AtomicInteger();
  private final SlipDecoder decoder = new SlipDecoder(64, frames::add, dropped::incrementAndGet);

  @Test
  void escapesTheDelimiterAndTheEscapeByte() {
    byte[] encoded = SlipEncoder.encode(new byte[] {(byte) 0xC0, 0x01, (byte) 0xDB});

    assertThat(encoded).containsExactly(0xC0, 0xDB, 0xDC, 0x01, 0xDB, 0xDD, 0xC0);
  }

  @Test
  void roundTripsAnyBytesInPiecesOfAnySize() {
    SplittableRandom random = new SplittableRandom(7);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] packet = new byte[1 + random.nextInt(60)];
      for (int j = 0; j < packet.length; j++) {
        int pick = random.nextInt(4);
        packet[j] = (byte) (pick == 0 ? 0xC0 : pick == 1 ? 0xDB : random.nextInt(256));
      }
      packets.add(packet);
      stream.writeBytes(SlipEncoder.encode(packet));
    }
    byte[] bytes = stream.toByteArray();
    for (int at = 0; at < bytes.length; ) {
      int length = Math.min(bytes.length - at, 1 + random.nextInt(100));
      decoder.feed(bytes, at, length);
      at += length;
    }

    assertThat(frames).hasSize(packets.size());
    for (int i = 0; i < packets.size(); i++) {
      assertThat(frames.get(i)).isEqualTo(packets.get(i));
    }
    assertThat(dropped).hasValue(0);
  }

  @Test
  void dropsBrokenEscapesAndOversizedFramesAndKeepsGoing() {
    feed(0x55, 0x55, 0xC0, 0x01, 0xDB, 0x07, 0x02, 0xC0);
    feed(0xC0);
    feed(new byte[100]);
    feed(0xC0, 0xC0, 0x03, 0xDB, 0xDC, 0xC0);

    assertThat(dropped).hasValue(2);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0)).containsExactly(0x03, 0xC0);
  }

  private void feed(int... bytes) {
    byte[] data = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (byte) bytes[i];
    }
    feed(data);
  }

  private void feed(byte[] data) {
    decoder.feed(data, 0, data.length);
  }
}
