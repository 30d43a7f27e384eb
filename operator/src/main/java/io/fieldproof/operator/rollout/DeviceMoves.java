package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.ConfigGeneration;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.rollout.progress.DeviceReturn;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.ModelAssigner;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a rollout sends its devices: the model to the step's cohort, a new attempt to devices whose
 * backoff ran out, or, on rollback, the model each device ran before, which still sits in its other
 * slot, so it returns without a download. A rollout that carries a config sends it with the model
 * as one unit, and a rollback returns its devices to the group's config with their previous model.
 * A device without a previous model to return to ({@link ReturnPath}) is not skipped in silence:
 * the rollback names it. A device whose switch back failed is told to try again with the next
 * attempt ({@link #retryReturn}); one already back is never sent anything again.
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
  void assign(
      List<String> cohort,
      Map<String, DeviceView> views,
      int limit,
      Instant now,
      Predicate<String> mayStart) {
    attempts(cohort, views, limit, now, mayStart)
        .forEach((id, attempt) -> send(id, target, attempt, true, config));
  }

  /**
   * Which devices of the cohort get which attempt now, in rank order: a device retrying once its
   * backoff ran out (it is busy already, so it takes no new place), a pending device while fewer
   * than {@code limit} devices of the rollout are busy (in progress or retrying).
   */
  static Map<String, Integer> attempts(
      List<String> cohort, Map<String, DeviceView> views, int limit, Instant now) {
    return attempts(cohort, views, limit, now, id -> true);
  }

  /**
   * As {@link #attempts(List, Map, int, Instant)}, starting no write (a first attempt or a retry)
   * for a device {@code mayStart} refuses: outside a maintenance window, or below a device
   * condition. A device refused takes no place, so the next one in rank order may start; writes
   * already started are not touched and finish.
   */
  static Map<String, Integer> attempts(
      List<String> cohort,
      Map<String, DeviceView> views,
      int limit,
      Instant now,
      Predicate<String> mayStart) {
    Map<String, Integer> attempts = new LinkedHashMap<>();
    int busy = (int) views.values().stream().filter(DeviceView::busy).count();
    for (String id : cohort) {
      DeviceView view = views.get(id);
      if (!startable(view, now) || !mayStart.test(id)) {
        continue;
      }
      if (view.state() == DeviceState.RETRYING) {
        attempts.put(id, view.attempt() + 1);
      } else if (busy < limit) {
        attempts.put(id, 1);
        busy++;
      }
    }
    return attempts;
  }

  /** Whether a write would start for the device now if allowed: pending, or due for a retry. */
  static boolean startable(DeviceView view, Instant now) {
    return view.state() == DeviceState.PENDING
        || view.state() == DeviceState.RETRYING && !now.isBefore(view.retryAt());
  }

  /**
   * What a rollback pass sent.
   *
   * @param stranded the devices told to run the model that have no model to return to, by id, each
   *     with why: they keep the rollout's model (and, with a config, get the group's config back)
   * @param sent the devices told this pass to switch back to another model than the rollout's, by
   *     id, with that model
   */
  record RollBack(Map<String, ReturnPath> stranded, Map<String, ModelRef> sent) {}

  /**
   * Every device told to run the model goes back to the model it ran before; with a config, every
   * device told to run the rollout's config goes back to the model it ran before and the group's
   * config, in one desired state. A device already sent back is not sent again here: its attempts
   * are {@link #retryReturn}'s.
   */
  RollBack rollBack(List<Member> members) {
    if (config != null) {
      return rollBackUnit(members);
    }
    String sha = target.sha256();
    Map<String, ReturnPath> stranded = new TreeMap<>();
    Map<String, ModelRef> sent = new TreeMap<>();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      if (desired == null || desired.model() == null || !desired.model().sha256().equals(sha)) {
        continue;
      }
      ReturnPath path = ReturnPath.of(member.entry().reported(), sha);
      if (path.possible()) {
        send(member.id(), path.previous(), 1, false, null);
        sent.put(member.id(), path.previous());
      } else {
        stranded.put(member.id(), path);
      }
    }
    return new RollBack(stranded, sent);
  }

  private RollBack rollBackUnit(List<Member> members) {
    long salt = ConfigGeneration.rolloutPart(config.generation());
    String sha = target.sha256();
    Map<String, ReturnPath> stranded = new TreeMap<>();
    Map<String, ModelRef> sent = new TreeMap<>();
    for (Member member : members) {
      DesiredState desired = member.entry().desired();
      if (desired == null
          || desired.model() == null
          || ConfigGeneration.rolloutPart(desired.generation()) != salt) {
        continue;
      }
      ModelRef model = desired.model();
      if (flashedByThisRollout(member, sha)) {
        ReturnPath path = ReturnPath.of(member.entry().reported(), sha);
        if (path.possible()) {
          model = path.previous();
        } else {
          stranded.put(member.id(), path);
        }
      }
      send(member.id(), model, 1, false, restore);
      if (!model.sha256().equals(sha)) {
        sent.put(member.id(), model);
      }
    }
    return new RollBack(stranded, sent);
  }

  /**
   * Tells a device whose switch back failed to try again: the same desired state (the model it ran
   * before, with the group's config after a config rollout) with the next attempt, which its agent
   * takes as a new update.
   */
  void retryReturn(DeviceReturn failed) {
    DesiredState desired = failed.member().entry().desired();
    send(failed.id(), desired.model(), failed.attempt() + 1, false, null);
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
