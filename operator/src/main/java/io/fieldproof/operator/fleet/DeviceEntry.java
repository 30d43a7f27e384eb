package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.ReportedState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the fleet index knows of one device: how its gateway(s) announce it, its last report, the
 * desired state retained for it, and when it was last heard of. {@code announcedBy} is in the order
 * of the claims: the first gateway owns the device (its reports count, its desired state is
 * published under it) for as long as it announces it; a later claim is only noted.
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
    // almost every device has one gateway: an immutable one-element set is 24 bytes, where a
    // LinkedHashSet is about 200 (the order only matters from two on)
    announcedBy =
        announcedBy.size() <= 1
            ? Set.copyOf(announcedBy)
            : Collections.unmodifiableSet(new LinkedHashSet<>(announcedBy));
  }

  /** The gateway that owns the device: the first that announced it and still does. */
  public String gateway() {
    return announcedBy.stream().findFirst().orElse(null);
  }

  /** Whether gateways other than the owner announce it too. */
  public boolean announcedTwice() {
    return announcedBy.size() > 1;
  }

  /** The gateways that announce it but do not own it, in the order of their claims. */
  public List<String> laterClaims() {
    return announcedBy.stream().skip(1).toList();
  }
}
