package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.FrameDecoder;
import java.io.IOException;
import java.time.Duration;

/**
 * A link over a byte stream that can break and be opened again (a TCP socket, a serial line): holds
 * at most one open stream; when it breaks, waiting requests fail and the next request opens it
 * again.
 */
abstract class StreamDeviceLink extends FramedDeviceLink {

  private StreamConnection connection;

  StreamDeviceLink(Duration timeout) {
    super(timeout);
  }

  /** Opens the stream, with the decoder and callbacks given. */
  protected abstract StreamConnection open(FrameDecoder decoder) throws IOException;

  public synchronized boolean isConnected() {
    return connection != null;
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

  /** The open stream, opened now when there is none. */
  protected final synchronized StreamConnection connection() throws DeviceLinkException {
    if (isClosed()) {
      throw new DeviceLinkException(DeviceLinkException.Failure.DISCONNECTED, "link is closed");
    }
    if (connection == null) {
      try {
        connection = open(newDecoder());
      } catch (IOException e) {
        throw new DeviceLinkException(
            DeviceLinkException.Failure.DISCONNECTED,
            "cannot open " + this + ": " + e.getMessage(),
            e);
      }
    }
    return connection;
  }

  /** Called by the stream's reader when it ends. */
  protected final void ended(StreamConnection ended) {
    synchronized (this) {
      if (connection != ended) {
        return;
      }
      connection = null;
    }
    connectionLost("connection to " + this + " lost");
  }
}
