package io.fieldproof.device.emulator.esp32;

import java.io.ByteArrayOutputStream;

/** Wraps packets in SLIP frames: 0xC0, the escaped packet, 0xC0. */
final class SlipEncoder {

  private SlipEncoder() {}

  static byte[] encode(byte[] packet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(packet.length + 8);
    out.write(SlipDecoder.END);
    for (byte value : packet) {
      int b = value & 0xFF;
      if (b == SlipDecoder.END) {
        out.write(SlipDecoder.ESC);
        out.write(SlipDecoder.ESC_END);
      } else if (b == SlipDecoder.ESC) {
        out.write(SlipDecoder.ESC);
        out.write(SlipDecoder.ESC_ESC);
      } else {
        out.write(b);
      }
    }
    out.write(SlipDecoder.END);
    return out.toByteArray();
  }
}
