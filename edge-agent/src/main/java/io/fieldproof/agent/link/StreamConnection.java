package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameDecoder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One open byte stream of a link (a TCP socket or a serial line): its decoder and the daemon thread
 * that reads it. Reports its end once, to the consumer given at open.
 */
final class StreamConnection implements AutoCloseable {

  private static final int READ_BUFFER = 4096;

  private final InputStream in;
  private final OutputStream out;
  private final Closeable resource;
  private final FrameDecoder decoder;
  private final Consumer<Frame> frames;
  private final Consumer<StreamConnection> ended;

  private StreamConnection(
      InputStream in,
      OutputStream out,
      Closeable resource,
      FrameDecoder decoder,
      Consumer<Frame> frames,
      Consumer<StreamConnection> ended) {
    this.in = in;
    this.out = out;
    this.resource = resource;
    this.decoder = decoder;
    this.frames = frames;
    this.ended = ended;
  }

  /** Connects to a TCP address and starts the reader thread. */
  static StreamConnection tcp(
      InetSocketAddress address,
      Duration timeout,
      FrameDecoder decoder,
      Consumer<Frame> frames,
      Consumer<StreamConnection> ended)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return start(
          new StreamConnection(
              socket.getInputStream(), socket.getOutputStream(), socket, decoder, frames, ended),
          "device-link-" + address);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Reads and writes already opened streams (a serial line) and starts the reader thread. */
  static StreamConnection streams(
      String name,
      InputStream in,
      OutputStream out,
      Closeable resource,
      FrameDecoder decoder,
      Consumer<Frame> frames,
      Consumer<StreamConnection> ended) {
    return start(
        new StreamConnection(in, out, resource, decoder, frames, ended), "device-link-" + name);
  }

  private static StreamConnection start(StreamConnection connection, String threadName) {
    Thread reader = new Thread(connection::readLoop, threadName);
    reader.setDaemon(true);
    reader.start();
    return connection;
  }

  synchronized void write(byte[] wire) throws IOException {
    out.write(wire);
    out.flush();
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (IOException e) {
      // closing a stream that is already broken: nothing left to release
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[READ_BUFFER];
    try {
      int count;
      while ((count = in.read(buffer)) >= 0) {
        decoder.feed(buffer, 0, count, frames);
      }
    } catch (IOException e) {
      // the stream broke or was closed: reported below like an end of stream
    } finally {
      close();
      ended.accept(this);
    }
  }
}
