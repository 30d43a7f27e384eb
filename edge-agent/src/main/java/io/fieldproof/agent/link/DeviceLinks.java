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
   * @param uri {@code tcp://host:port}, or {@code serial:/dev/ttyUSB0} with an optional {@code
   *     ?baud=N} (default 115200)
   * @param timeout connect timeout and per-request timeout
   * @throws IOException when the URI is not supported or the device cannot be reached
   */
  public static DeviceLink open(String uri, Duration timeout) throws IOException {
    if (uri.startsWith("serial:")) {
      return SerialDeviceLink.open(uri, timeout);
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
