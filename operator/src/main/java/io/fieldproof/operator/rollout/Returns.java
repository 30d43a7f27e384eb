package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.operator.rollout.progress.DeviceReturn;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a rollback stands on one pass: the devices that cannot return ({@link Stranded}) and those
 * on their way back that do not run their previous model yet ({@link DeviceReturn}), as the
 * rollout's status tells them: listed in status.notReturned, counted, named in the message, and
 * summed up in the RollbackComplete condition, which turns True once every device sent back runs
 * its previous model again.
 */
final class Returns {

  /** The condition that says whether every device sent back is back. */
  static final String CONDITION = "RollbackComplete";

  /** Devices named in the message at most. */
  static final int NAMED = 5;

  /** A pass that rolled nothing back (another phase, or a newer rollout owns the devices). */
  static final Returns NONE = new Returns(false, Map.of(), List.of());

  /** The part of a message added by {@link #described}. */
  private static final Pattern SUFFIX =
      Pattern.compile(
          "; (\\d+ devices? not back on (its|their) previous model yet: .*"
              + "|every (other )?device sent back runs its previous model again)$");

  private final boolean rollingBack;
  private final Map<String, ReturnPath> stranded;
  private final List<DeviceReturn> returning;

  private Returns(
      boolean rollingBack, Map<String, ReturnPath> stranded, List<DeviceReturn> returning) {
    this.rollingBack = rollingBack;
    this.stranded = stranded;
    this.returning = returning;
  }

  /**
   * @param stranded the devices that cannot return, by id
   * @param returning the devices on their way back, in any order
   */
  static Returns of(Map<String, ReturnPath> stranded, List<DeviceReturn> returning) {
    List<DeviceReturn> sorted = new ArrayList<>(returning);
    sorted.sort((a, b) -> a.id().compareTo(b.id()));
    return new Returns(true, new TreeMap<>(stranded), List.copyOf(sorted));
  }

  /** Whether this pass rolled devices back: only then is there a RollbackComplete condition. */
  boolean rollingBack() {
    return rollingBack;
  }

  /** Devices not back: stranded, or on their way. */
  int notBack() {
    return stranded.size() + returning.size();
  }

  /** Whether every device sent back runs its previous model again, and none was stranded. */
  boolean complete() {
    return notBack() == 0;
  }

  /** Whether a device waits for a retry: the rollout should look again soon. */
  boolean retrying() {
    return returning.stream().anyMatch(r -> r.stage() == DeviceReturn.Stage.RETRYING);
  }

  /** The first {@code max} devices not back for status, by id, each with why. */
  List<UnreturnedDevice> listed(int max) {
    Map<String, UnreturnedDevice> all = new TreeMap<>();
    Stranded.listed(stranded, max).forEach(d -> all.put(d.device, d));
    for (DeviceReturn r : returning) {
      UnreturnedDevice device = new UnreturnedDevice();
      device.device = r.id();
      device.reason = r.statusReason();
      device.message = r.statusMessage();
      all.put(device.device, device);
    }
    return all.values().stream().limit(max).toList();
  }

  /**
   * The decision with a message that names the devices not back, or says that every one is; a
   * message from an earlier pass loses what an earlier pass added, so it stays current.
   */
  RolloutDecision described(RolloutDecision decision) {
    if (decision.phase() != Phase.ROLLED_BACK || decision.message() == null) {
      return decision;
    }
    RolloutDecision bare =
        decision.withMessage(SUFFIX.matcher(decision.message()).replaceFirst(""));
    String message =
        Stranded.described(bare, rollingBack ? stranded : Map.of()).message()
            + (rollingBack ? suffix() : "");
    return decision.withMessage(message);
  }

  /** The RollbackComplete condition's reason. */
  String reason() {
    if (complete()) {
      return "AllReturned";
    }
    return returning.stream().anyMatch(DeviceReturn::underWay)
        ? "DevicesNotBack"
        : "ReturnIncomplete";
  }

  /** The RollbackComplete condition's message. */
  String message() {
    if (complete()) {
      return "every device sent back runs its previous model again";
    }
    StringBuilder out = new StringBuilder();
    out.append(notBack())
        .append(
            notBack() == 1
                ? " device does not run its previous model: "
                : " devices do not run their previous model: ");
    List<UnreturnedDevice> listed = listed(NAMED);
    for (int i = 0; i < listed.size(); i++) {
      out.append(i == 0 ? "" : ", ")
          .append(listed.get(i).device)
          .append(" (")
          .append(listed.get(i).reason)
          .append(')');
    }
    if (notBack() > NAMED) {
      out.append(", and ").append(notBack() - NAMED).append(" more (status.notReturned)");
    }
    return out.toString();
  }

  private String suffix() {
    if (returning.isEmpty()) {
      return stranded.isEmpty()
          ? "; every device sent back runs its previous model again"
          : "; every other device sent back runs its previous model again";
    }
    int count = returning.size();
    StringBuilder out =
        new StringBuilder("; ")
            .append(count)
            .append(
                count == 1
                    ? " device not back on its previous model yet: "
                    : " devices not back on their previous model yet: ");
    for (int i = 0; i < Math.min(count, NAMED); i++) {
      DeviceReturn r = returning.get(i);
      out.append(i == 0 ? "" : ", ")
          .append(r.id())
          .append(" (")
          .append(r.statusReason())
          .append(')');
    }
    if (count > NAMED) {
      out.append(", and ").append(count - NAMED).append(" more (status.notReturned)");
    }
    return out.toString();
  }
}
