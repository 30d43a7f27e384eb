package io.fieldproof.operator.rollout.window;

import io.fieldproof.api.v1alpha1.DeviceConditions;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Vitals;
import java.util.Optional;

/**
 * Whether a rollout may start a write to a device now: a maintenance window must be open
 * (spec.maintenanceWindows) and the device must meet spec.deviceConditions by what it last
 * reported. A device held here waits: it is never failed, and no deadline runs for it, because no
 * attempt was started. A write already started is not this gate's business: it finishes.
 */
public final class WriteGate {

  /** Why a device waits. */
  public static final String MAINTENANCE_WINDOW = "MaintenanceWindow";

  public static final String LOW_BATTERY = "LowBattery";

  public static final String LOW_LINK_QUALITY = "LowLinkQuality";

  /**
   * A device held back.
   *
   * @param reason {@link #MAINTENANCE_WINDOW}, {@link #LOW_BATTERY} or {@link #LOW_LINK_QUALITY}
   * @param message the level reported and the level required, or when the window opens
   */
  public record Hold(String reason, String message) {

    public boolean forWindow() {
      return MAINTENANCE_WINDOW.equals(reason);
    }
  }

  private static final WriteGate OPEN = new WriteGate(null, null);

  private final MaintenanceWindows.State window;
  private final DeviceConditions conditions;

  /**
   * @param window where the rollout's windows stand now, or null when it has none
   * @param conditions the rollout's device conditions, or null when it has none
   */
  public WriteGate(MaintenanceWindows.State window, DeviceConditions conditions) {
    this.window = window;
    this.conditions = conditions;
  }

  /** A gate that holds nothing back. */
  public static WriteGate open() {
    return OPEN;
  }

  /** Why the device may not start a write now, or empty when it may. */
  public Optional<Hold> hold(Member member) {
    if (window != null && !window.open()) {
      return Optional.of(
          new Hold(
              MAINTENANCE_WINDOW,
              "waiting for maintenance window (" + window.describeNext() + ")"));
    }
    if (conditions == null) {
      return Optional.empty();
    }
    Vitals vitals = vitals(member);
    if (conditions.minBatteryPercent != null
        && vitals != null
        && vitals.batteryPercent() != null
        && vitals.batteryPercent() < conditions.minBatteryPercent) {
      return Optional.of(
          new Hold(
              LOW_BATTERY,
              "battery "
                  + vitals.batteryPercent()
                  + " % is below spec.deviceConditions.minBatteryPercent "
                  + conditions.minBatteryPercent
                  + " %"));
    }
    if (conditions.minLinkQuality != null
        && vitals != null
        && vitals.linkQuality() != null
        && vitals.linkQuality() < conditions.minLinkQuality) {
      return Optional.of(
          new Hold(
              LOW_LINK_QUALITY,
              "link quality "
                  + vitals.linkQuality()
                  + (vitals.rssiDbm() != null ? " (RSSI " + vitals.rssiDbm() + " dBm)" : "")
                  + (vitals.linkErrorPermille() != null
                      ? " (" + vitals.linkErrorPermille() + " ‰ frames damaged)"
                      : "")
                  + " is below spec.deviceConditions.minLinkQuality "
                  + conditions.minLinkQuality));
    }
    return Optional.empty();
  }

  /** Whether the window (if any) is open: outside it no write starts at all. */
  public boolean windowOpen() {
    return window == null || window.open();
  }

  private static Vitals vitals(Member member) {
    ReportedState reported = member.entry().reported();
    Health health = reported == null ? null : reported.health();
    return health == null ? null : health.vitals();
  }
}
