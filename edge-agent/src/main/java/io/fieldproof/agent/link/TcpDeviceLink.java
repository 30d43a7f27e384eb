package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.FrameDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A device link over TCP, to an emulator or to a serial-to-TCP bridge. Owns at most one connection
 * at a time and one daemon reader thread per connection, which dispatches responses by request id
 * and telemetry to the listeners. When the connection is lost, waiting requests fail and the next
 * request connects again, so a restarted device or emulator is picked up without a new link;
 * telemetry listeners stay registered across reconnections.
 */
public final class TcpDeviceLink extends StreamDeviceLink {

  private final InetSocketAddress address;

  private TcpDeviceLink(InetSocketAddress address, Duration timeout) {
    super(timeout);
    this.address = address;
  }

  public static TcpDeviceLink connect(String host, int port, Duration timeout) throws IOException {
    TcpDeviceLink link = new TcpDeviceLink(new InetSocketAddress(host, port), timeout);
    link.connection();
    return link;
  }

  @Override
  public String toString() {
    return "tcp://" + address.getHostString() + ":" + address.getPort();
  }

  @Override
  protected StreamConnection open(FrameDecoder decoder) throws IOException {
    return StreamConnection.tcp(address, timeout(), decoder, this::deliver, this::ended);
  }
}
