package io.fieldproof.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder between a client and a server, so that a test decides when the client
 * may reach the server: while held, connections are accepted and closed at once, as a port nothing
 * listens on would; while swallowing, they are accepted and left without an answer, as a hung
 * server would. A forwarded connection ends on both sides when either side ends it.
 */
final class TcpProxy implements AutoCloseable {

  private final int targetPort;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Mode mode = Mode.FORWARD;
  private volatile boolean muted;

  private enum Mode {
    FORWARD,
    HOLD,
    SWALLOW
  }

  private TcpProxy(int targetPort, ServerSocket server) {
    this.targetPort = targetPort;
    this.server = server;
  }

  static TcpProxy start(int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    TcpProxy proxy = new TcpProxy(targetPort, server);
    daemon("proxy-accept-" + server.getLocalPort(), proxy::acceptLoop);
    return proxy;
  }

  String uri() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** New connections are closed at once until {@link #release}; open ones go on. */
  void hold() {
    mode = Mode.HOLD;
  }

  /** New connections are accepted and never answered until {@link #release}. */
  void swallow() {
    mode = Mode.SWALLOW;
  }

  /** New connections are forwarded again. */
  void release() {
    mode = Mode.FORWARD;
  }

  /**
   * From now on, bytes from the server are dropped instead of forwarded, on open and new
   * connections: the client's requests arrive, their answers never do.
   */
  void mute() {
    muted = true;
  }

  /** Ends every open connection on both sides, as a dropped network would; mute ends too. */
  void dropConnections() throws IOException {
    muted = false;
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  /** Connections accepted so far, whatever became of them. */
  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        accepted.incrementAndGet();
        if (mode == Mode.HOLD) {
          client.close();
          continue;
        }
        if (mode == Mode.SWALLOW) {
          continue;
        }
        Socket target;
        try {
          target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException refused) {
          client.close();
          continue;
        }
        sockets.add(target);
        daemon("proxy-up", () -> pump(client, target, false));
        daemon("proxy-down", () -> pump(target, client, true));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int count;
      while ((count = in.read(buffer)) >= 0) {
        if (fromServer && muted) {
          continue;
        }
        out.write(buffer, 0, count);
        out.flush();
      }
    } catch (IOException ended) {
      // either side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
