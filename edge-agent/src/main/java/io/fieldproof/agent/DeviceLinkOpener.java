package io.fieldproof.agent;

import io.fieldproof.agent.link.DeviceLink;
import java.io.IOException;

/** Opens the link to a device from its configured address; tests attach emulators in-process. */
@FunctionalInterface
public interface DeviceLinkOpener {
  DeviceLink open(String link) throws IOException;
}
