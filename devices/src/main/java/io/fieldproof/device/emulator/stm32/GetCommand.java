package io.fieldproof.device.emulator.stm32;

import java.util.List;

/** GET (0x00): the protocol version and the codes of the supported commands. */
final class GetCommand implements Stm32Command {

  @Override
  public int code() {
    return 0x00;
  }

  @Override
  public Stage start(BootContext boot) {
    List<Integer> codes = boot.codes();
    byte[] reply = new byte[codes.size() + 3];
    reply[0] = (byte) codes.size();
    reply[1] = (byte) An3155.VERSION;
    for (int i = 0; i < codes.size(); i++) {
      reply[i + 2] = codes.get(i).byteValue();
    }
    reply[reply.length - 1] = (byte) An3155.ACK;
    boot.send(reply);
    return boot.idle();
  }
}
