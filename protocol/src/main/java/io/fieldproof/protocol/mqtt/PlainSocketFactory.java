package io.fieldproof.protocol.mqtt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets for tcp:// brokers that notice a broker closing the connection before sending a
 * single byte. An MQTT broker answers a valid CONNECT with a CONNACK, a refusal included; a TLS
 * listener reads the CONNECT as a broken TLS record and closes (Mosquitto resets the connection).
 */
final class PlainSocketFactory extends SocketFactory {

  /** The broker closed the connection before it answered CONNECT with a single byte. */
  static final class SilentCloseException extends IOException {
    SilentCloseException(Throwable cause) {
      super("the broker closed the connection before answering CONNECT", cause);
    }
  }

  @Override
  public Socket createSocket() {
    return new WatchedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = createSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket socket = createSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket socket = createSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket socket = createSocket();
    socket.bind(new InetSocketAddress(localAddress, localPort));
    socket.connect(new InetSocketAddress(address, port));
    return socket;
  }

  /** A socket whose input stream tells a silent close from one after the broker spoke. */
  private static final class WatchedSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new Watching(super.getInputStream());
      }
      return in;
    }
  }

  private static final class Watching extends FilterInputStream {
    private volatile boolean spoke;

    Watching(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = guarded(() -> super.read());
      if (b < 0) {
        return ended();
      }
      spoke = true;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = guarded(() -> super.read(buffer, offset, length));
      if (n < 0) {
        return ended();
      }
      if (n > 0) {
        spoke = true;
      }
      return n;
    }

    private int ended() throws IOException {
      if (!spoke) {
        throw new SilentCloseException(null);
      }
      return -1;
    }

    private int guarded(Read read) throws IOException {
      try {
        return read.run();
      } catch (java.net.SocketException e) {
        if (!spoke && String.valueOf(e.getMessage()).contains("reset")) {
          throw new SilentCloseException(e);
        }
        throw e;
      }
    }

    private interface Read {
      int run() throws IOException;
    }
  }
}
