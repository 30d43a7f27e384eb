package io.fieldproof.device.emulator.line;

/** The device's side of the line: what a {@link LineProtocol} sends with, and its speed. */
public interface LinePort {

  /** Sends bytes to the host, taking as long as the line's speed makes them take. */
  void send(byte[] bytes);

  /** Changes the line speed from the next byte on (the chip's baud rate register). */
  void changeBaud(int baud);

  /** The line speed in baud; 0 means unpaced. */
  int baud();
}
