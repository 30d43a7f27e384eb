package io.fieldproof.agent.flash.stm32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host side of the AN3155 commands, one try each: a command is its code and complement, an
 * address is four big-endian bytes and their XOR, and every step waits for ACK within the time its
 * bytes take on the line. Failures come as {@link FlashException}s; retrying is the caller's.
 */
final class Stm32Protocol {

  private static final int SYNC = 0x7F;
  private static final int BLOCK = 256;
  private static final int MAX_COMMANDS = 32;

  private final Stm32Link link;
  private final Stm32BootOptions options;

  Stm32Protocol(Stm32Link link) {
    this.link = link;
    this.options = link.options();
  }

  /** Sends 0x7F until the bootloader answers ACK (or NACK: it was already in step). */
  void sync() throws FlashException {
    for (int attempt = 0; attempt < options.syncAttempts(); attempt++) {
      link.send((byte) SYNC);
      int reply = link.read(options.within(2));
      if (reply == Stm32Link.ACK || reply == Stm32Link.NACK) {
        return;
      }
    }
    throw new FlashException(
        FlashFailure.NO_SYNC,
        "the bootloader did not answer 0x7F in " + options.syncAttempts() + " tries");
  }

  /** GET: the protocol version and the offered commands. */
  CommandSet get() throws FlashException {
    command(CommandSet.GET, "GET");
    int count = link.readExactly(1, options.within(1), "GET")[0] & 0xFF;
    if (count > MAX_COMMANDS) {
      throw new FlashException(FlashFailure.GARBLED, "GET announced " + count + " commands");
    }
    byte[] reply = link.readExactly(count + 1, options.within(count + 1), "GET");
    link.expectAck(options.within(1), "GET");
    Set<Integer> codes = new HashSet<>();
    for (int i = 1; i < reply.length; i++) {
      codes.add(reply[i] & 0xFF);
    }
    return new CommandSet(reply[0] & 0xFF, codes);
  }

  /** GET_ID: the product id. */
  int getId() throws FlashException {
    command(CommandSet.GET_ID, "GET_ID");
    int count = (link.readExactly(1, options.within(1), "GET_ID")[0] & 0xFF) + 1;
    if (count < 2 || count > 4) {
      throw new FlashException(FlashFailure.GARBLED, "GET_ID announced " + count + " id bytes");
    }
    byte[] id = link.readExactly(count, options.within(count), "GET_ID");
    link.expectAck(options.within(1), "GET_ID");
    return (id[0] & 0xFF) << 8 | id[1] & 0xFF;
  }

  /** READ_MEMORY of 1 to 256 bytes. */
  byte[] readMemory(long address, int length) throws FlashException {
    String what = String.format("READ_MEMORY 0x%08X+%d", address, length);
    command(0x11, what);
    address(address, what);
    int n = length - 1;
    link.send((byte) n, (byte) (n ^ 0xFF));
    link.expectAck(options.within(3), what);
    return link.readExactly(length, options.within(length), what);
  }

  /** WRITE_MEMORY of 4 to 256 bytes, a multiple of 4, at a word-aligned address. */
  void writeMemory(long address, byte[] data) throws FlashException {
    if (data.length == 0 || data.length > BLOCK || data.length % 4 != 0) {
      throw new IllegalArgumentException("a write takes 4 to 256 bytes, a multiple of 4");
    }
    String what = String.format("WRITE_MEMORY 0x%08X+%d", address, data.length);
    command(CommandSet.WRITE_MEMORY, what);
    address(address, what);
    byte[] frame = new byte[data.length + 2];
    int checksum = data.length - 1;
    frame[0] = (byte) checksum;
    for (int i = 0; i < data.length; i++) {
      frame[i + 1] = data[i];
      checksum ^= data[i] & 0xFF;
    }
    frame[frame.length - 1] = (byte) checksum;
    link.send(frame);
    link.expectAck(options.within(frame.length + 1), what);
  }

  /** EXTENDED_ERASE of the listed pages, waiting up to {@code eraseTime} for them to erase. */
  void extendedErase(List<Integer> pages, Duration eraseTime) throws FlashException {
    String what = "EXTENDED_ERASE of pages " + pages.get(0) + ".." + pages.get(pages.size() - 1);
    command(CommandSet.EXTENDED_ERASE, what);
    byte[] frame = new byte[2 * pages.size() + 3];
    int n = pages.size() - 1;
    frame[0] = (byte) (n >> 8);
    frame[1] = (byte) n;
    for (int i = 0; i < pages.size(); i++) {
      frame[2 + 2 * i] = (byte) (pages.get(i) >> 8);
      frame[3 + 2 * i] = (byte) (int) pages.get(i);
    }
    int checksum = 0;
    for (int i = 0; i < frame.length - 1; i++) {
      checksum ^= frame[i] & 0xFF;
    }
    frame[frame.length - 1] = (byte) checksum;
    link.send(frame);
    link.expectAck(options.within(frame.length + 1).plus(eraseTime), what);
  }

  /** GO: the application starts at {@code address}; the bootloader no longer answers. */
  void go(long address) throws FlashException {
    String what = String.format("GO 0x%08X", address);
    command(CommandSet.GO, what);
    address(address, what);
  }

  private void command(int code, String what) throws FlashException {
    link.send((byte) code, (byte) (code ^ 0xFF));
    link.expectAck(options.within(3), what);
  }

  private void address(long address, String what) throws FlashException {
    byte[] bytes = {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    };
    link.send(
        bytes[0], bytes[1], bytes[2], bytes[3], (byte) (bytes[0] ^ bytes[1] ^ bytes[2] ^ bytes[3]));
    link.expectAck(options.within(6), what);
  }
}
