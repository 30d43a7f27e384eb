package io.fieldproof.device.emulator.line;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Serves a byte-oriented device protocol over TCP the way a serial-to-TCP bridge serves a UART, so
 * host tools can reach it with {@code socket://127.0.0.1:PORT}. One host at a time: a new
 * connection takes the line over. Every connection gets a fresh {@link LineProtocol} from the
 * factory (for a bootloader: the chip was reset into it). The line can be paced at a baud rate,
 * corrupt received bytes at a rate, and hang. Owns the listening socket and one daemon thread per
 * connection.
 */
public final class LineServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LineServer.class.getName());
  private static final int READ_CHUNK = 256;

  private final ServerSocket serverSocket;
  private final Function<LinePort, LineProtocol> factory;
  private final LineSettings settings;
  private final AtomicLong corruptedBytes = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private Socket current;
  private Thread currentReader;

  private LineServer(
      ServerSocket serverSocket, Function<LinePort, LineProtocol> factory, LineSettings settings) {
    this.serverSocket = serverSocket;
    this.factory = factory;
    this.settings = settings;
  }

  /** Listens on {@code 127.0.0.1:port} (0 picks a free port). */
  public static LineServer start(
      int port, LineSettings settings, Function<LinePort, LineProtocol> factory)
      throws IOException {
    return start(InetAddress.getLoopbackAddress(), port, settings, factory);
  }

  /** Listens on {@code address:port} (0 picks a free port). */
  public static LineServer start(
      InetAddress address,
      int port,
      LineSettings settings,
      Function<LinePort, LineProtocol> factory)
      throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.setReuseAddress(true);
      serverSocket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      serverSocket.close();
      throw e;
    }
    LineServer server = new LineServer(serverSocket, factory, settings);
    Thread acceptor = new Thread(server::acceptLoop, "line-accept-" + server.port());
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code socket://127.0.0.1:PORT}, the pyserial URL of this line. */
  public String socketUrl() {
    return "socket://" + serverSocket.getInetAddress().getHostAddress() + ":" + port();
  }

  /** {@code tcp://127.0.0.1:PORT}, the agent's URI of this line. */
  public String uri() {
    return "tcp://" + serverSocket.getInetAddress().getHostAddress() + ":" + port();
  }

  /** Received bytes that were damaged on purpose so far. */
  public long corruptedBytes() {
    return corruptedBytes.get();
  }

  /** Connections accepted so far. */
  public long connections() {
    return connections.get();
  }

  @Override
  public void close() {
    try {
      serverSocket.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the server socket failed", e);
    }
    takeOver(null);
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        takeOver(socket);
        awaitPreviousReader();
        connections.incrementAndGet();
        Thread reader = new Thread(() -> serve(socket), "line-read-" + port());
        reader.setDaemon(true);
        currentReader = reader;
        reader.start();
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          LOG.log(Level.WARNING, "accepting a connection on " + port() + " failed", e);
        }
      }
    }
  }

  /**
   * Lets the previous connection's protocol see its end before the next one starts, so the device
   * is reset out of the old session before it is reset into the new one.
   */
  private void awaitPreviousReader() {
    Thread previous = currentReader;
    if (previous == null) {
      return;
    }
    try {
      previous.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void takeOver(Socket next) {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "closing the previous connection failed", e);
      }
    }
    current = next;
  }

  private void serve(Socket socket) {
    Connection connection;
    try {
      connection = new Connection(socket.getOutputStream());
    } catch (IOException e) {
      return;
    }
    LineProtocol protocol = factory.apply(connection);
    SplittableRandom random = new SplittableRandom(settings.seed());
    long received = 0;
    byte[] buffer = new byte[READ_CHUNK];
    try (socket;
        InputStream in = socket.getInputStream()) {
      int count;
      while ((count = in.read(buffer)) >= 0) {
        connection.inbound.pass(count);
        received += count;
        if (settings.hangAfterBytes() >= 0 && received > settings.hangAfterBytes()) {
          continue;
        }
        corrupt(buffer, count, random);
        protocol.received(buffer, 0, count);
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "line connection ended: {0}", e.getMessage());
    } finally {
      protocol.closed();
    }
  }

  private void corrupt(byte[] buffer, int count, SplittableRandom random) {
    if (settings.corruptionRate() == 0) {
      return;
    }
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < settings.corruptionRate()) {
        buffer[i] ^= (byte) (1 << random.nextInt(8));
        corruptedBytes.incrementAndGet();
      }
    }
  }

  /** One connection's device side: paced output and the shared baud rate of both directions. */
  private final class Connection implements LinePort {

    private final OutputStream out;
    private final LinePacer inbound;
    private final LinePacer outbound;

    Connection(OutputStream out) {
      this.out = out;
      this.inbound = new LinePacer(settings.baud(), settings.bitsPerByte());
      this.outbound = new LinePacer(settings.baud(), settings.bitsPerByte());
    }

    @Override
    public void send(byte[] bytes) {
      outbound.pass(bytes.length);
      try {
        synchronized (out) {
          out.write(bytes);
          out.flush();
        }
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "the host went away while the device answered: {0}", e.getMessage());
      }
    }

    @Override
    public void changeBaud(int baud) {
      if (settings.baud() > 0) {
        inbound.baud(baud);
        outbound.baud(baud);
      }
    }

    @Override
    public int baud() {
      return outbound.baud();
    }
  }
}
