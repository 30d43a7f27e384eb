package io.fieldproof.agent.flash.esp32;

import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ROM loader of another Espressif chip, as far as the agent gets with it: it answers SYNC and
 * says every register holds the ESP8266's chip magic. Frames are taken to be unescaped, which the
 * agent's SYNC and READ_REG packets are.
 */
final class OtherEspressifRom implements LineProtocol {

  private static final int ESP8266_MAGIC = 0xFFF0C101;

  private final LinePort port;

  OtherEspressifRom(LinePort port) {
    this.port = port;
  }

  @Override
  public void received(byte[] data, int offset, int length) {
    for (int i = offset; i + 2 < offset + length; i++) {
      if ((data[i] & 0xFF) == 0xC0 && data[i + 1] == 0 && data[i + 2] == 0x08) {
        for (int reply = 0; reply < 8; reply++) {
          port.send(reply(0x08, 0x20120707));
        }
      } else if ((data[i] & 0xFF) == 0xC0 && data[i + 1] == 0 && data[i + 2] == 0x0A) {
        port.send(reply(0x0A, ESP8266_MAGIC));
      }
    }
  }

  private static byte[] reply(int op, int value) {
    return ByteBuffer.allocate(14)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC0)
        .put((byte) 1)
        .put((byte) op)
        .putShort((short) 4)
        .putInt(value)
        .putInt(0)
        .put((byte) 0xC0)
        .array();
  }
}
