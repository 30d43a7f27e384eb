package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.FrameDecoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Duration;

/**
 * A device on a serial line (serial:/dev/ttyUSB0?baud=115200): the same framed protocol as over
 * TCP. A line that breaks (a USB adapter unplugged) is reopened at the next request.
 */
public final class SerialDeviceLink extends StreamDeviceLink {

  private final SerialLine.Address address;

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
  protected StreamConnection open(FrameDecoder decoder) throws IOException {
    RandomAccessFile line = SerialLine.open(address);
    return StreamConnection.streams(
        address.device().toString(),
        SerialLine.input(line),
        SerialLine.output(line),
        line,
        decoder,
        this::deliver,
        this::ended);
  }
}
