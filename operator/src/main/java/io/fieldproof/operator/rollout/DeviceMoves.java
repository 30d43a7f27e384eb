package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.ConfigGeneration;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.ModelAssigner;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a rollout sends its devices: the model to the step's cohort, a new attempt to devices whose
 * backoff ran out, or, on rollback, the model each device ran before, which still sits in its other
 * slot, so it returns without a download. A rollout that carries a config sends it with the model
 * as one unit, and a rollback returns its devices to the group's config with their previous model.
 */
final class DeviceMoves {

  private final ModelAssigner assigner;
  private final DeviceGroup group;
  private final ModelRef target;
  private final SelfTest selfTest;
  private final int trialSeconds;
  private final GroupConfigs.Unit config;
  private final GroupConfigs.Unit restore;

  /**
   * @param target the rollout's model
   * @param selfTest the golden vectors it must pass, or null
   * @param trialSeconds how long a model runs on trial
   */
  DeviceMoves(
      ModelAssigner assigner,
      DeviceGroup group,
      ModelRef target,
      SelfTest selfTest,
      int trialSeconds) {
    this(assigner, group, target, selfTest, trialSeconds, null, null);
  }

  /**
   * @param config the config sent with the model as one unit, or null for a model alone
   * @param restore the config a rollback returns devices to (the group's, or the one in force)
   */
  DeviceMoves(
      ModelAssigner assigner,
      DeviceGroup group,
      ModelRef target,
      SelfTest selfTest,
      int trialSeconds,
      GroupConfigs.Unit config,
      GroupConfigs.Unit restore) {
    this.assigner = assigner;
    this.group = group;
    this.target = target;
    this.selfTest = selfTest;
    this.trialSeconds = trialSeconds;
    this.config = config;
    this.restore = restore;
  }

  /**
   * Tells the cohort's devices to run the model, lowest rank first, keeping at most {@code limit}
   * busy at once; retries devices whose backoff ran out.
   */
  void assign(List<String> cohort, Map<String, DeviceView> views, int limit, Instant now) {
    int busy = (int) views.values().stream().filter(DeviceView::busy).count();
    for (String id : cohort) {
      DeviceView view = views.get(id);
      if (view.state() == DeviceState.RETRYING && !now.isBefore(view.retryAt())) {
        send(id, target, view.attempt() + 1, true, config);
      } else if (view.state() == DeviceState.PENDING && busy < limit) {
        send(id, target, 1, true, config);
        busy++;
      }
    }
  }

  /**
   * Every device told to run the model goes back to the model it ran before; with a config, every
   * device told to run the rollout's config goes back to the model it ran before and the group's
   * config, in one desired state.
   */
  void rollBack(List<Member> members) {
    if (config != null) {
      rollBackUnit(members);
      return;
    }
    String sha = target.sha256();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      if (desired == null || desired.model() == null || !desired.model().sha256().equals(sha)) {
        continue;
      }
      ModelRef previous = previousModel(member, sha);
      if (previous != null) {
        send(member.id(), previous, 1, false, null);
      }
    }
  }

  private void rollBackUnit(List<Member> members) {
    long salt = ConfigGeneration.rolloutPart(config.generation());
    String sha = target.sha256();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      if (desired == null
          || desired.model() == null
          || ConfigGeneration.rolloutPart(desired.generation()) != salt) {
        continue;
      }
      ModelRef previous = flashedByThisRollout(member, sha) ? previousModel(member, sha) : null;
      send(member.id(), previous == null ? desired.model() : previous, 1, false, restore);
    }
  }

  /**
   * Whether the device runs (or is getting) the model because of this rollout: its latest update
   * was for the model under this rollout's config, or it does not run the model yet. A device that
   * ran the model before the rollout (a config change for the model it runs) keeps it.
   */
  private boolean flashedByThisRollout(Member member, String sha) {
    var reported = member.entry().reported();
    Slots slots = reported == null ? null : reported.slots();
    ModelRef active = slots == null ? null : slots.activeModel();
    if (active == null || !active.sha256().equals(sha)) {
      return true;
    }
    UpdateAttempt update = reported.update();
    return update != null
        && sha.equals(update.sha256())
        && ConfigGeneration.rolloutPart(update.generation())
            == ConfigGeneration.rolloutPart(config.generation());
  }

  /**
   * The rollout stops where it is: devices told to run the model that do not run it yet are told to
   * keep what they run; devices that run it keep it.
   */
  void settle(List<Member> members) {
    String sha = target.sha256();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      Slots slots = member.entry().reported() == null ? null : member.entry().reported().slots();
      ModelRef active = slots == null ? null : slots.activeModel();
      if (desired != null
          && desired.model() != null
          && desired.model().sha256().equals(sha)
          && active != null
          && !active.sha256().equals(sha)) {
        send(member.id(), active, 1, false, null);
      }
    }
  }

  /**
   * The model a device ran before this rollout's: the active one while the new one is not active
   * yet, otherwise the one in the other slot; null when it had none.
   */
  static ModelRef previousModel(Member member, String sha) {
    Slots slots = member.entry().reported() == null ? null : member.entry().reported().slots();
    if (slots == null) {
      return null;
    }
    ModelRef active = slots.activeModel();
    if (active != null && !active.sha256().equals(sha)) {
      return active;
    }
    ModelRef other = "A".equals(slots.active()) ? slots.b() : slots.a();
    return other == null || other.sha256().equals(sha) ? null : other;
  }

  private void send(
      String device,
      ModelRef model,
      int attempt,
      boolean withSelfTest,
      GroupConfigs.Unit withConfig) {
    assigner.assign(
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        device,
        new ModelAssigner.Assignment(
            model, withSelfTest ? selfTest : null, trialSeconds, attempt, withConfig));
  }
}
