package io.fieldproof.device.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** The device end of one TCP connection of an {@link EmulatorServer}. */
final class SocketSink implements FrameSink {

  private final Socket socket;
  private final OutputStream out;

  SocketSink(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  @Override
  public synchronized void write(byte[] wire) throws IOException {
    out.write(wire);
    out.flush();
  }

  @Override
  public void disconnect() {
    try {
      socket.close();
    } catch (IOException e) {
      // the socket is broken already: nothing left to release
    }
  }
}
