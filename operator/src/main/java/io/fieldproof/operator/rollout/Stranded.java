package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The devices a rollback could not return to a previous model, as the rollout's status tells them:
 * named in its message (the first {@value #NAMED}) and listed in status.notReturned, so that a
 * rollback never reads as complete while devices still run the model it rolled back.
 */
final class Stranded {

  /** Devices named in the message at most. */
  static final int NAMED = 5;

  /** The part of a message that names them, as added by {@link #described}. */
  private static final Pattern SUFFIX =
      Pattern.compile("; \\d+ devices? cannot return to a previous model.*$");

  private Stranded() {}

  /**
   * The decision with a message that names the stranded devices; a rolled back rollout's message
   * from an earlier pass loses the names it had, so they stay current.
   */
  static RolloutDecision described(RolloutDecision decision, Map<String, ReturnPath> stranded) {
    if (decision.phase() != Phase.ROLLED_BACK || decision.message() == null) {
      return decision;
    }
    String message = SUFFIX.matcher(decision.message()).replaceFirst("");
    if (!stranded.isEmpty()) {
      message += suffix(stranded);
    }
    return decision.withMessage(message);
  }

  /** The first {@code max} stranded devices for status, each with why. */
  static List<UnreturnedDevice> listed(Map<String, ReturnPath> stranded, int max) {
    List<UnreturnedDevice> listed = new ArrayList<>();
    for (Map.Entry<String, ReturnPath> entry : stranded.entrySet()) {
      if (listed.size() == max) {
        break;
      }
      UnreturnedDevice device = new UnreturnedDevice();
      device.device = entry.getKey();
      device.reason = entry.getValue().reason();
      device.message = entry.getValue().message();
      listed.add(device);
    }
    return listed;
  }

  private static String suffix(Map<String, ReturnPath> stranded) {
    int count = stranded.size();
    StringBuilder out =
        new StringBuilder("; ")
            .append(count)
            .append(
                count == 1
                    ? " device cannot return to a previous model and keeps this one: "
                    : " devices cannot return to a previous model and keep this one: ");
    int named = 0;
    for (Map.Entry<String, ReturnPath> entry : stranded.entrySet()) {
      if (named == NAMED) {
        out.append(", and ").append(count - NAMED).append(" more (status.notReturned)");
        break;
      }
      out.append(named == 0 ? "" : ", ")
          .append(entry.getKey())
          .append(" (")
          .append(entry.getValue().reason())
          .append(')');
      named++;
    }
    return out.toString();
  }
}
