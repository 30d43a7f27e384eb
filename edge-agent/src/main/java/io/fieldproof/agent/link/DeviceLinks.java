package io.fieldproof.agent.link;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/** Opens a {@link DeviceLink} from the URI a gateway's configuration names a device by. */
public final class DeviceLinks {

  private DeviceLinks() {}

  /**
   * Opens a link.
   *
   * @param uri {@code tcp://host:port}; {@code serial:...} is not reached directly in this version
   * @param timeout connect timeout and per-request timeout
   * @throws IOException when the URI is not supported or the device cannot be reached
   */
  public static DeviceLink open(String uri, Duration timeout) throws IOException {
    if (uri.startsWith("serial:")) {
      throw new IOException(
          "serial lines are not opened directly in this version: expose "
              + uri.substring("serial:".length())
              + " through a TCP bridge (for example ser2net, or socat"
              + " TCP-LISTEN:7001,reuseaddr,fork FILE:/dev/ttyUSB0,raw,b115200) and use"
              + " tcp://host:port");
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IOException("not a device link URI: " + uri, e);
    }
    if (!"tcp".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
      throw new IOException("unsupported device link URI " + uri + ", expected tcp://host:port");
    }
    return TcpDeviceLink.connect(parsed.getHost(), parsed.getPort(), timeout);
  }
}
