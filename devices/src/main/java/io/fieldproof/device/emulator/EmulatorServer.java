package io.fieldproof.device.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Serves one {@link DeviceEmulator} over TCP, as a serial-to-TCP bridge would serve a real device.
 * Owns the listening socket, an accept thread and one reader thread per connection (all daemon).
 * One host at a time: a new connection takes the line over from the previous one, so an agent that
 * restarts is served at once. Garbage bytes and abrupt disconnects only cost dropped frames.
 */
public final class EmulatorServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(EmulatorServer.class.getName());
  private static final int READ_BUFFER = 4096;

  private final DeviceEmulator emulator;
  private final ServerSocket serverSocket;

  private EmulatorServer(DeviceEmulator emulator, ServerSocket serverSocket) {
    this.emulator = emulator;
    this.serverSocket = serverSocket;
  }

  /** Serves {@code emulator} on {@code 127.0.0.1:port}; port 0 picks a free port. */
  public static EmulatorServer start(DeviceEmulator emulator, int port) throws IOException {
    return start(emulator, InetAddress.getLoopbackAddress(), port);
  }

  /** Serves {@code emulator} on {@code address:port}; port 0 picks a free port. */
  public static EmulatorServer start(DeviceEmulator emulator, InetAddress address, int port)
      throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.setReuseAddress(true);
      serverSocket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      serverSocket.close();
      throw e;
    }
    EmulatorServer server = new EmulatorServer(emulator, serverSocket);
    Thread acceptor = new Thread(server::acceptLoop, "emulator-accept-" + server.port());
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  /** The bound port. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** The URI a device link opens to reach this emulator. */
  public String uri() {
    return "tcp://" + serverSocket.getInetAddress().getHostAddress() + ":" + port();
  }

  public DeviceEmulator emulator() {
    return emulator;
  }

  /** Stops listening and drops the current connection. */
  @Override
  public void close() {
    try {
      serverSocket.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the server socket failed", e);
    }
    emulator.dropConnection();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        serve(serverSocket.accept());
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          LOG.log(Level.WARNING, "accepting a connection for " + emulator + " failed", e);
        }
      }
    }
  }

  private void serve(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    EmulatorConnection connection = emulator.attach(new SocketSink(socket));
    Thread reader = new Thread(() -> readLoop(socket, connection), "emulator-read-" + port());
    reader.setDaemon(true);
    reader.start();
  }

  private static void readLoop(Socket socket, EmulatorConnection connection) {
    byte[] buffer = new byte[READ_BUFFER];
    try (socket;
        InputStream in = socket.getInputStream()) {
      int count;
      while ((count = in.read(buffer)) >= 0) {
        connection.receive(buffer, 0, count);
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection ended: {0}", e.getMessage());
    } finally {
      connection.detach();
    }
  }
}
