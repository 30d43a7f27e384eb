package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.MaintenanceWindowStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.api.v1alpha1.WaitingDevice;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import io.fieldproof.operator.rollout.window.MaintenanceWindows;
import io.fieldproof.operator.rollout.window.WriteGate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices of a step that a write would start for now but that wait: for a maintenance window or
 * for a device condition. They are counted apart from pending and in-progress devices, listed with
 * why, and named in the rollout's message; they never count as failed.
 */
final class Waiting {

  static final Waiting NONE = new Waiting(Map.of());

  /** Reason of a rollout whose step waits for a window. */
  static final String WAITING_FOR_WINDOW = "WaitingForWindow";

  /** Reason of a rollout whose step waits for devices to meet its conditions. */
  static final String WAITING_FOR_CONDITIONS = "WaitingForDeviceConditions";

  /** Devices named in a message at most. */
  private static final int NAMED = 3;

  private final Map<String, WriteGate.Hold> holds;

  private Waiting(Map<String, WriteGate.Hold> holds) {
    this.holds = holds;
  }

  /** The devices of {@code cohort}, in rank order, that could start a write but are held. */
  static Waiting of(
      List<String> cohort, Map<String, DeviceView> views, WriteGate gate, Instant now) {
    Map<String, WriteGate.Hold> holds = new LinkedHashMap<>();
    for (String id : cohort) {
      DeviceView view = views.get(id);
      if (view != null && DeviceMoves.startable(view, now)) {
        gate.hold(view.member()).ifPresent(hold -> holds.put(id, hold));
      }
    }
    return new Waiting(holds);
  }

  int forWindow() {
    return (int) holds.values().stream().filter(WriteGate.Hold::forWindow).count();
  }

  int forCondition() {
    return holds.size() - forWindow();
  }

  /**
   * Sets the waiting counts (only for what the rollout restricts) and takes the waiting devices out
   * of pending and in progress (a retry waiting is no longer in progress).
   */
  void count(
      RolloutDeviceCounts counts,
      Map<String, DeviceView> views,
      boolean windows,
      boolean conditions) {
    if (windows) {
      counts.waitingForWindow = forWindow();
    }
    if (conditions) {
      counts.waitingForCondition = forCondition();
    }
    for (String id : holds.keySet()) {
      if (views.get(id).state() == DeviceState.PENDING) {
        counts.pending--;
      } else {
        counts.inProgress--;
      }
    }
  }

  /**
   * A step still updating says what it waits for: "...; waiting for maintenance window (opens
   * 2026-12-07 02:00:00 Europe/Berlin): 3 devices", or the devices below a condition and why.
   */
  RolloutDecision described(RolloutDecision decision, MaintenanceWindows.State window) {
    if (holds.isEmpty() || decision.phase() != Phase.PROGRESSING) {
      return decision;
    }
    boolean forWindow = forWindow() > 0;
    String message =
        forWindow
            ? decision.message()
                + "; waiting for maintenance window ("
                + window.describeNext()
                + "): "
                + devices(forWindow())
            : decision.message()
                + "; "
                + devices(forCondition())
                + " waiting for device conditions: "
                + named();
    return new RolloutDecision(
        decision.phase(),
        decision.step(),
        decision.stepStartedAt(),
        decision.action(),
        decision.percent(),
        forWindow ? WAITING_FOR_WINDOW : WAITING_FOR_CONDITIONS,
        message);
  }

  List<WaitingDevice> listed(int max) {
    List<WaitingDevice> listed = new ArrayList<>();
    for (Map.Entry<String, WriteGate.Hold> hold : holds.entrySet()) {
      if (listed.size() == max) {
        break;
      }
      WaitingDevice device = new WaitingDevice();
      device.device = hold.getKey();
      device.reason = hold.getValue().reason();
      device.message = hold.getValue().message();
      listed.add(device);
    }
    return listed;
  }

  /** The windows' state for status, or null when the rollout has none. */
  static MaintenanceWindowStatus status(MaintenanceWindows.State window) {
    if (window == null) {
      return null;
    }
    MaintenanceWindowStatus status = new MaintenanceWindowStatus();
    status.open = window.open();
    status.closesAt = seconds(window.closesAt());
    status.opensAt = seconds(window.opensAt());
    return status;
  }

  private String named() {
    StringBuilder out = new StringBuilder();
    int named = 0;
    for (Map.Entry<String, WriteGate.Hold> hold : holds.entrySet()) {
      if (hold.getValue().forWindow()) {
        continue;
      }
      if (named == NAMED) {
        out.append(", and ").append(forCondition() - NAMED).append(" more");
        break;
      }
      out.append(named == 0 ? "" : ", ")
          .append(hold.getKey())
          .append(" (")
          .append(hold.getValue().message())
          .append(')');
      named++;
    }
    return out.toString();
  }

  private static String devices(int count) {
    return count == 1 ? "1 device" : count + " devices";
  }

  private static String seconds(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
