package io.fieldproof.device.emulator.line;

/**
 * The device end of a byte-oriented serial protocol (a chip's ROM bootloader, say), fed the bytes
 * the host sends, in order, from one thread. It answers through the {@link LinePort} it was created
 * with.
 */
public interface LineProtocol {

  /** Bytes arrived from the host. */
  void received(byte[] data, int offset, int length);

  /** The host went away (the line was closed or taken over). */
  default void closed() {}
}
