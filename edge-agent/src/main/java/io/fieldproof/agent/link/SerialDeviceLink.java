package io.fieldproof.agent.link;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Duration;

/**
 * A device on a serial line (serial:/dev/ttyUSB0?baud=115200): the same framed protocol as over
 * TCP. A line that breaks (a USB adapter unplugged) is reopened at the next request.
 */
public final class SerialDeviceLink extends FramedDeviceLink {

  private final SerialLine.Address address;
  private StreamConnection connection;

  private SerialDeviceLink(SerialLine.Address address, Duration timeout) {
    super(timeout);
    this.address = address;
  }

  public static SerialDeviceLink open(String uri, Duration timeout) throws IOException {
    SerialDeviceLink link = new SerialDeviceLink(SerialLine.Address.parse(uri), timeout);
    link.connection();
    return link;
  }

  @Override
  public String toString() {
    return "serial:" + address.device() + "?baud=" + address.baud();
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
        RandomAccessFile line = SerialLine.open(address);
        connection =
            StreamConnection.streams(
                address.device().toString(),
                SerialLine.input(line),
                SerialLine.output(line),
                line,
                newDecoder(),
                this::deliver,
                this::ended);
      } catch (IOException e) {
        throw new DeviceLinkException(
            DeviceLinkException.Failure.DISCONNECTED,
            "cannot open " + this + ": " + e.getMessage(),
            e);
      }
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
    connectionLost("serial line " + this + " closed");
  }
}
