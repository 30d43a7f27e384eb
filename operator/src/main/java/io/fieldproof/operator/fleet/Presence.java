package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.ReportedState;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a device is online: the one definition that a DeviceGroup's counts, attention list and
 * metrics and a ModelRollout's device classifier and gate downtime all read, through {@link
 * FleetIndex#presence} (and {@link FleetIndex#online}).
 *
 * <p>A device is online when a gateway that announces it has its session up, it was heard of (birth
 * or report) within {@code offlineAfter}, and its own last report does not say its link is down. A
 * power-cycled device behind a live gateway is therefore offline as soon as its agent reports it
 * unreachable, for the group and for every rollout alike, and online again with its next connected
 * report.
 */
public enum Presence {
  /** Announced by a live gateway, heard of recently, its link up. */
  ONLINE,
  /** No gateway that announces it has its session up (a will, or never a birth). */
  GATEWAY_DOWN,
  /** Its gateway is up, but nothing was heard of it within offlineAfter. */
  SILENT,
  /** Its gateway is up and reports that it cannot reach the device (power cut, reset, cable). */
  UNREACHABLE;

  public boolean online() {
    return this == ONLINE;
  }

  /**
   * Where a device stands.
   *
   * @param entry what the fleet index holds of it
   * @param gatewayUp whether a gateway that announces it has its session up
   * @param offlineAfter how long it stays online without being heard of
   * @param now the index's clock
   */
  public static Presence of(
      DeviceEntry entry, boolean gatewayUp, Duration offlineAfter, Instant now) {
    if (!gatewayUp) {
      return GATEWAY_DOWN;
    }
    if (entry.lastHeard() == null || entry.lastHeard().plus(offlineAfter).isBefore(now)) {
      return SILENT;
    }
    ReportedState reported = entry.reported();
    if (reported != null && reported.link() == ReportedState.Link.UNREACHABLE) {
      return UNREACHABLE;
    }
    return ONLINE;
  }
}
