package io.fieldproof.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One TCP connection of a {@link TcpDeviceLink}: the socket, its decoder and the daemon thread that
 * reads it. Reports its end once, to the consumer given at open.
 */
final class TcpConnection implements AutoCloseable {

  private static final int READ_BUFFER = 4096;

  private final Socket socket;
  private final OutputStream out;
  private final FrameDecoder decoder;
  private final Consumer<Frame> frames;
  private final Consumer<TcpConnection> ended;

  private TcpConnection(
      Socket socket, FrameDecoder decoder, Consumer<Frame> frames, Consumer<TcpConnection> ended)
      throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.decoder = decoder;
    this.frames = frames;
    this.ended = ended;
  }

  /** Connects and starts the reader thread. */
  static TcpConnection open(
      InetSocketAddress address,
      Duration timeout,
      FrameDecoder decoder,
      Consumer<Frame> frames,
      Consumer<TcpConnection> ended)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      TcpConnection connection = new TcpConnection(socket, decoder, frames, ended);
      Thread reader = new Thread(connection::readLoop, "device-link-" + address);
      reader.setDaemon(true);
      reader.start();
      return connection;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  synchronized void write(byte[] wire) throws IOException {
    out.write(wire);
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket that is already broken: nothing left to release
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[READ_BUFFER];
    try (InputStream in = socket.getInputStream()) {
      int count;
      while ((count = in.read(buffer)) >= 0) {
        decoder.feed(buffer, 0, count, frames);
      }
    } catch (IOException e) {
      // the connection broke or was closed: reported below like an end of stream
    } finally {
      close();
      ended.accept(this);
    }
  }
}
