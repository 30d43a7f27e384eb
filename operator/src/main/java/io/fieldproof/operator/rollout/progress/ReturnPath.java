package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.devicegroup.ConfigGeneration;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;

/**
 * Whether a device can return to the model it ran before a rollout's, read from the slots its agent
 * reported. Before the update that model is the one it runs, confirmed (the update writes the other
 * slot, so the running one stays where it is); once told to run the rollout's model, it is the one
 * in the slot that does not run, and its selection record must be VALID: a record left INVALID or
 * ABORTED by a failed trial, or NEW and never booted, is no way back. The device's slot table names
 * a slot's model only when the slot's record is intact (its CRC checks) and gives the other slot's
 * record state ({@code otherState}); firmware that does not give it leaves an intact record of
 * another model as the way back, which the agent checks against its sha256 before it switches. A
 * device that ran no model, whose other slot is empty or not bootable, or whose only other model is
 * on trial has nothing to return to.
 *
 * @param previous the model it would return to, or null when it cannot return
 * @param reason when it cannot: NoSlotReport, NoPreviousModel, PreviousNotBootable or
 *     PreviousOnTrial
 * @param message when it cannot: why, in one line
 */
public record ReturnPath(ModelRef previous, String reason, String message) {

  private static final String VALID = "VALID";

  /**
   * The return path of a device whose agent reported {@code reported}, for the model {@code sha}.
   */
  public static ReturnPath of(ReportedState reported, String sha) {
    Slots slots = reported == null ? null : reported.slots();
    if (slots == null) {
      return none("NoSlotReport", "its agent has not reported its model slots");
    }
    ModelRef active = slots.activeModel();
    ModelRef other = other(slots);
    if (active == null) {
      return none("NoPreviousModel", "it runs no model, so it has none to return to");
    }
    boolean otherBoots = slots.otherState() == null || VALID.equals(slots.otherState());
    if (!active.sha256().equals(sha)) {
      if (!slots.onTrial()) {
        return new ReturnPath(active, null, null);
      }
      return other != null && !other.sha256().equals(sha) && otherBoots
          ? new ReturnPath(other, null, null)
          : none(
              "PreviousOnTrial",
              "the model it runs is on trial, not confirmed, and its other slot holds no valid one");
    }
    if (other == null || other.sha256().equals(sha)) {
      return none("NoPreviousModel", "its other slot holds no model to return to");
    }
    return otherBoots
        ? new ReturnPath(other, null, null)
        : none(
            "PreviousNotBootable",
            "the record of "
                + other.name()
                + " "
                + other.version()
                + " in its other slot is "
                + slots.otherState()
                + ", not VALID: it would not boot");
  }

  /**
   * As {@link #of(ReportedState, String)}, for a rollout that sends a config with its model ({@code
   * configGeneration} its generation, null for a model alone): a device that already ran the model
   * before the rollout (a config change for the model it runs) returns to that same model with the
   * group's config, so it can revert as long as the model it runs is confirmed and this rollout did
   * not flash it.
   */
  public static ReturnPath of(ReportedState reported, String sha, Long configGeneration) {
    ReturnPath path = of(reported, sha);
    if (path.possible() || configGeneration == null) {
      return path;
    }
    Slots slots = reported.slots();
    ModelRef active = slots.activeModel();
    if (active != null
        && active.sha256().equals(sha)
        && !slots.onTrial()
        && !flashedUnder(reported, sha, configGeneration)) {
      return new ReturnPath(active, null, null);
    }
    return path;
  }

  /** Whether the device's latest update put {@code sha} on it under this rollout's config. */
  private static boolean flashedUnder(ReportedState reported, String sha, long configGeneration) {
    var update = reported.update();
    return update != null
        && sha.equals(update.sha256())
        && ConfigGeneration.rolloutPart(update.generation())
            == ConfigGeneration.rolloutPart(configGeneration);
  }

  /** Whether the device has a model to return to. */
  public boolean possible() {
    return previous != null;
  }

  private static ModelRef other(Slots slots) {
    if ("A".equals(slots.active())) {
      return slots.b();
    }
    return "B".equals(slots.active()) ? slots.a() : null;
  }

  private static ReturnPath none(String reason, String message) {
    return new ReturnPath(null, reason, message);
  }
}
