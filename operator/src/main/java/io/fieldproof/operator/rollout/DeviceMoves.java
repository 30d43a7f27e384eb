package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.ModelAssigner;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.protocol.Slots;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a rollout sends its devices: the model to the step's cohort, a new attempt to devices whose
 * backoff ran out, or, on rollback, the model each device ran before, which still sits in its other
 * slot, so it returns without a download.
 */
final class DeviceMoves {

  private final ModelAssigner assigner;
  private final DeviceGroup group;
  private final ModelRef target;
  private final SelfTest selfTest;
  private final int trialSeconds;

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
    this.assigner = assigner;
    this.group = group;
    this.target = target;
    this.selfTest = selfTest;
    this.trialSeconds = trialSeconds;
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
        send(id, target, view.attempt() + 1, true);
      } else if (view.state() == DeviceState.PENDING && busy < limit) {
        send(id, target, 1, true);
        busy++;
      }
    }
  }

  /** Every device told to run the model goes back to the model it ran before. */
  void rollBack(List<Member> members) {
    String sha = target.sha256();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      if (desired == null || desired.model() == null || !desired.model().sha256().equals(sha)) {
        continue;
      }
      ModelRef previous = previousModel(member, sha);
      if (previous != null) {
        send(member.id(), previous, 1, false);
      }
    }
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
        send(member.id(), active, 1, false);
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

  private void send(String device, ModelRef model, int attempt, boolean withSelfTest) {
    assigner.assign(
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        device,
        new ModelAssigner.Assignment(model, withSelfTest ? selfTest : null, trialSeconds, attempt));
  }
}
