package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.FlashClock;
import io.fieldproof.device.emulator.line.LinePort;

/**
 * Where the loader's replies go: SLIP frames on the line, in the ROM's shape (four status bytes)
 * or, once the flasher stub runs, the stub's (two). A reply leaves only when the flash chip is
 * ready: the ROM finishes an erase or a block before it answers, and the stub finishes the block it
 * took in before it reads the next command.
 */
final class ReplyChannel {

  private final LinePort port;
  private final FlashClock clock;
  private boolean stub;

  ReplyChannel(LinePort port, FlashClock clock) {
    this.port = port;
    this.clock = clock;
  }

  void send(RomReply reply) {
    clock.awaitReady();
    port.send(SlipEncoder.encode(RomPacketCodec.encode(reply, stub)));
  }

  /** One frame holding {@code payload} as it is: the stub's greeting, read data, a digest. */
  void sendFrame(byte[] payload) {
    port.send(SlipEncoder.encode(payload));
  }

  /** Bytes already framed, in one write. */
  void sendFramed(byte[] frames) {
    clock.awaitReady();
    port.send(frames);
  }

  /** Replies at the old speed have left; the line runs at {@code baud} from now on. */
  void changeBaud(int baud) {
    port.changeBaud(baud);
  }

  boolean stub() {
    return stub;
  }

  void stub(boolean running) {
    this.stub = running;
  }
}
