package io.fieldproof.device.emulator;

import java.io.IOException;

/** Where an emulator's outgoing bytes go: the device end of a socket or of an in-process link. */
public interface FrameSink {

  /** Writes the wire bytes of one frame; may be called from several threads. */
  void write(byte[] wire) throws IOException;

  /** Ends the connection from the device side, abruptly. */
  void disconnect();
}
