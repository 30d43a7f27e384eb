package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.ReportedState;
import java.time.Instant;
import java.util.Set;

/**
 * What the fleet index knows of one device: how its gateway(s) announce it, its last report, the
 * desired state retained for it, and when it was last heard of.
 */
public record DeviceEntry(
    String namespace,
    String id,
    Set<String> announcedBy,
    DeviceInfo info,
    ReportedState reported,
    DesiredState desired,
    Instant lastHeard) {

  public DeviceEntry {
    announcedBy = Set.copyOf(announcedBy);
  }

  /** The gateway it is attached to, or the first of several when announced twice. */
  public String gateway() {
    return announcedBy.stream().sorted().findFirst().orElse(null);
  }

  public boolean announcedTwice() {
    return announcedBy.size() > 1;
  }
}
