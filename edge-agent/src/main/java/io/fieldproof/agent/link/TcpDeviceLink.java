package io.fieldproof.agent.link;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A device link over TCP, to an emulator or to a serial-to-TCP bridge. Owns at most one connection
 * at a time and one daemon reader thread per connection, which dispatches responses by request id
 * and telemetry to the listeners. When the connection is lost, waiting requests fail and the next
 * request connects again, so a restarted device or emulator is picked up without a new link;
 * telemetry listeners stay registered across reconnections.
 */
public final class TcpDeviceLink extends FramedDeviceLink {

  private static final System.Logger LOG = System.getLogger(TcpDeviceLink.class.getName());

  private final InetSocketAddress address;
  private StreamConnection connection;

  private TcpDeviceLink(InetSocketAddress address, Duration timeout) {
    super(timeout);
    this.address = address;
  }

  /**
   * Connects to a device runtime at {@code host:port}.
   *
   * @param timeout the connect timeout and the time each request waits for its response
   */
  public static TcpDeviceLink connect(String host, int port, Duration timeout) throws IOException {
    TcpDeviceLink link = new TcpDeviceLink(new InetSocketAddress(host, port), timeout);
    link.connection();
    return link;
  }

  /** Whether a connection is currently up. */
  public synchronized boolean isConnected() {
    return connection != null;
  }

  @Override
  public String toString() {
    return "tcp://" + address.getHostString() + ":" + address.getPort();
  }

  @Override
  protected void transmit(byte[] wire) throws DeviceLinkException {
    StreamConnection current = connection();
    try {
      current.write(wire);
    } catch (IOException e) {
      current.close();
      ended(current);
      throw new DeviceLinkException(
          DeviceLinkException.Failure.DISCONNECTED, "cannot write to " + this, e);
    }
  }

  @Override
  protected synchronized void closeTransport() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  private synchronized StreamConnection connection() throws DeviceLinkException {
    if (isClosed()) {
      throw new DeviceLinkException(DeviceLinkException.Failure.DISCONNECTED, "link is closed");
    }
    if (connection == null) {
      try {
        connection =
            StreamConnection.tcp(address, timeout(), newDecoder(), this::deliver, this::ended);
      } catch (IOException e) {
        throw new DeviceLinkException(
            DeviceLinkException.Failure.DISCONNECTED,
            "cannot connect to " + this + ": " + e.getMessage(),
            e);
      }
      LOG.log(Level.DEBUG, "connected to {0}", this);
    }
    return connection;
  }

  private void ended(StreamConnection ended) {
    synchronized (this) {
      if (connection != ended) {
        return;
      }
      connection = null;
    }
    LOG.log(Level.DEBUG, "connection to {0} lost", this);
    connectionLost("connection to " + this + " lost");
  }
}
