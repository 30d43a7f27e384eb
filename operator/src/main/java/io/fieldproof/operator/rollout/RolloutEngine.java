package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.MaintenanceWindowStatus;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.api.v1alpha1.StrategySpec;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.api.v1alpha1.WaitingDevice;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.rollout.plan.CohortPlanner;
import io.fieldproof.operator.rollout.plan.Durations;
import io.fieldproof.operator.rollout.plan.StepPlan;
import io.fieldproof.operator.rollout.progress.CohortProgress;
import io.fieldproof.operator.rollout.progress.CountOrPercent;
import io.fieldproof.operator.rollout.progress.DeviceClassifier;
import io.fieldproof.operator.rollout.progress.DeviceReturn;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.ModelAssigner;
import io.fieldproof.operator.rollout.progress.ReturnWatch;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import io.fieldproof.operator.rollout.progress.RolloutStepper;
import io.fieldproof.operator.rollout.window.MaintenanceWindows;
import io.fieldproof.operator.rollout.window.WriteGate;
import io.fieldproof.protocol.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of a validated rollout over its devices: see where each stands, judge the gates, let the
 * stepper decide, then act (assign the model to the step's cohort within the concurrency limit,
 * retry failed devices after their backoff, or roll devices back and try again those whose switch
 * back failed), and count the result.
 */
final class RolloutEngine {

  /** Percent of targeted devices updating at once when the strategy does not say. */
  static final int DEFAULT_MAX_CONCURRENT_PERCENT = 25;

  /** One device's deadline when the strategy does not say. */
  static final Duration DEFAULT_DEVICE_TIMEOUT = Duration.ofMinutes(10);

  /** The trial when the strategy does not say. */
  static final Duration DEFAULT_TRIAL = Duration.ofSeconds(10);

  /**
   * The outcome of a pass.
   *
   * @param decision what the stepper decided
   * @param devices the devices counted after acting
   * @param failures failed devices, then incompatible ones, at most {@link #LISTED}
   * @param gates each gate rule's latest result
   * @param verdictMessage the gates' verdict in one line, or null without gates
   * @param notReturned after a rollback, devices not back on their previous model: those that had
   *     none to return to, and those on their way back, at most {@link #LISTED}
   * @param waiting devices of the step waiting for a window or a device condition, at most {@link
   *     #LISTED}
   * @param window where the maintenance windows stand, or null when the rollout has none
   * @param returns where the rollback stands, {@link Returns#NONE} when this pass rolled nothing
   *     back
   */
  record Outcome(
      RolloutDecision decision,
      RolloutDeviceCounts devices,
      List<DeviceFailure> failures,
      List<GateResult> gates,
      String verdictMessage,
      List<UnreturnedDevice> notReturned,
      List<WaitingDevice> waiting,
      MaintenanceWindowStatus window,
      Returns returns) {

    Outcome(
        RolloutDecision decision,
        RolloutDeviceCounts devices,
        List<DeviceFailure> failures,
        List<GateResult> gates,
        String verdictMessage,
        List<UnreturnedDevice> notReturned) {
      this(
          decision,
          devices,
          failures,
          gates,
          verdictMessage,
          notReturned,
          List.of(),
          null,
          Returns.NONE);
    }

    Outcome withGates(List<GateResult> kept) {
      return new Outcome(
          decision, devices, failures, kept, verdictMessage, notReturned, waiting, window, returns);
    }

    Outcome withFailures(List<DeviceFailure> kept) {
      return new Outcome(
          decision, devices, kept, gates, verdictMessage, notReturned, waiting, window, returns);
    }
  }

  static final int LISTED = 20;

  private final ModelAssigner assigner;
  private final RolloutMemory memory;

  RolloutEngine(ModelAssigner assigner, RolloutMemory memory) {
    this.assigner = assigner;
    this.memory = memory;
  }

  Outcome advance(ModelRollout rollout, Verdict verdict, RolloutScene scene, Instant now) {
    ModelRolloutSpec spec = rollout.getSpec();
    RolloutMemory.Entry remembered = memory.of(rollout.getMetadata().getUid(), key(rollout));
    GroupConfigs.Unit config = spec.config == null ? null : GroupConfigs.of(scene.group(), rollout);
    Long configGeneration = config == null ? null : config.generation();
    DeviceClassifier classifier =
        new DeviceClassifier(
            new DeviceClassifier.Policy(
                verdict.model().sha256,
                attempts(spec.strategy),
                deviceTimeout(spec.strategy),
                configGeneration),
            remembered.retries());
    remembered.windows().observe(scene.compatible(), now);
    StepPlan plan = new StepPlan(spec.strategy);
    List<String> ranked =
        remembered.planner().ranked(scene.compatible().stream().map(Member::id).toList());
    Map<String, DeviceView> views = classify(scene, classifier, ranked, now);
    Cohorts cohorts = new Cohorts(ranked, views);
    GateJudge.Judgement gates =
        GateJudge.judge(
            spec.gates,
            verdict.model().sha256,
            configGeneration,
            views.values(),
            remembered.windows(),
            scene.labels().evidence(verdict.model().sha256),
            rollout.getStatus(),
            now);
    int targeted = ranked.size();
    RolloutDecision decision =
        RolloutStepper.decide(
            new RolloutStepper.Situation(
                rollout,
                plan,
                percent ->
                    progress(
                        cohorts.at(percent), ranked, views, percent, offlineSkipped(spec.strategy)),
                gates.check(),
                count(views, DeviceState.FAILED),
                spec.abort == null
                    ? 0
                    : CountOrPercent.floor(spec.abort.maxFailedDevices, targeted, 0),
                scene.supersededBy(),
                now));
    ModelRef target =
        new ModelRef(
            spec.model.name, spec.model.version, verdict.model().sha256, verdict.model().sizeBytes);
    MaintenanceWindows windows = MaintenanceWindows.of(spec.maintenanceWindows);
    MaintenanceWindows.State window = windows.restricted() ? windows.at(now) : null;
    WriteGate gate = new WriteGate(window, spec.deviceConditions);
    ReturnWatch watch =
        new ReturnWatch(
            new ReturnWatch.Policy(
                verdict.model().sha256, attempts(spec.strategy), deviceTimeout(spec.strategy)),
            remembered.returns());
    Returns returns =
        act(
            rollout, verdict, target, config, scene, decision, cohorts, ranked, views, gate, watch,
            now);
    // counted as seen at the start of the pass: the members are the fleet index's entries as the
    // scene loaded them, so what act sent shows in the next pass (classifying them again here gave
    // the same views, at the cost of a second pass over every member)
    Waiting waiting =
        decision.action() == RolloutDecision.Action.ASSIGN
            ? Waiting.of(cohorts.at(decision.percent()), views, gate, now)
            : Waiting.NONE;
    RolloutDeviceCounts counts = counts(views, scene.incompatible());
    counts.notReturned = returns.notBack();
    waiting.count(counts, views, window != null, spec.deviceConditions != null);
    Outcome outcome =
        new Outcome(
            returns.described(waiting.described(decision, window)),
            counts,
            failures(views, scene),
            gates.results(),
            gates.check().verdict().message(),
            returns.listed(LISTED),
            waiting.listed(LISTED),
            Waiting.status(window),
            returns);
    if (decision.phase() == Phase.ROLLED_BACK) {
      return keepFailures(outcome, rollout, views, scene);
    }
    return decision.phase() == Phase.SUCCEEDED ? keepGates(outcome, rollout) : outcome;
  }

  /**
   * Rolled back devices are no longer asked to run the model, so they no longer count as failed:
   * the failures that caused the rollback (seen before acting, or kept in status since) stay, as
   * the record of why.
   */
  private static Outcome keepFailures(
      Outcome outcome, ModelRollout rollout, Map<String, DeviceView> before, RolloutScene scene) {
    ModelRolloutStatus previous = rollout.getStatus();
    boolean kept =
        previous != null && previous.phase == Phase.ROLLED_BACK && previous.devices != null;
    int failed = kept ? previous.devices.failed : count(before, DeviceState.FAILED);
    if (failed <= outcome.devices().failed) {
      return keepGates(outcome, rollout);
    }
    outcome.devices().failed = failed;
    List<DeviceFailure> failures =
        kept && previous.failures != null
            ? List.copyOf(previous.failures)
            : failures(before, scene);
    return keepGates(outcome.withFailures(failures), rollout);
  }

  /**
   * Once a rollout has ended, rolled back or succeeded, the gate results it ended with stay in
   * status: they are its record. Judged again, they would change with nothing on the devices
   * changing: an operator that restarts (an upgrade, a new leader) starts its signal windows
   * afresh, and the gates of a finished rollout would read Inconclusive until they fill again.
   */
  private static Outcome keepGates(Outcome outcome, ModelRollout rollout) {
    ModelRolloutStatus previous = rollout.getStatus();
    Phase ended = outcome.decision().phase();
    if (previous == null || previous.phase != ended || previous.gates == null) {
      return outcome;
    }
    return outcome.withGates(List.copyOf(previous.gates));
  }

  /**
   * A deleted rollout stops where it is: devices that do not run its model yet keep what they run.
   */
  void stop(ModelRollout rollout, Verdict verdict, RolloutScene scene) {
    memory.forget(rollout.getMetadata().getUid());
    if (verdict.outcome() != Verdict.Outcome.VALID || scene.group() == null) {
      return;
    }
    ModelRolloutSpec spec = rollout.getSpec();
    ModelRef target =
        new ModelRef(
            spec.model.name, spec.model.version, verdict.model().sha256, verdict.model().sizeBytes);
    new DeviceMoves(assigner, scene.group(), target, null, trialSeconds(rollout))
        .settle(scene.compatible());
  }

  /**
   * Sends the devices what the decision asks.
   *
   * @return on a rollback, the devices not back on their previous model: those told to run the
   *     model that have nothing to return to, and those on their way back
   */
  private Returns act(
      ModelRollout rollout,
      Verdict verdict,
      ModelRef target,
      GroupConfigs.Unit config,
      RolloutScene scene,
      RolloutDecision decision,
      Cohorts cohorts,
      List<String> ranked,
      Map<String, DeviceView> views,
      WriteGate gate,
      ReturnWatch watch,
      Instant now) {
    DeviceMoves moves =
        new DeviceMoves(
            assigner,
            scene.group(),
            target,
            verdict.selfTest(),
            trialSeconds(rollout),
            config,
            scene.groupConfig());
    switch (decision.action()) {
      case ASSIGN -> {
        StrategySpec strategy = rollout.getSpec().strategy;
        int limit =
            CountOrPercent.ceilAtLeastOne(
                strategy == null ? null : strategy.maxConcurrent,
                ranked.size(),
                Math.max(
                    1, (int) Math.ceil(ranked.size() * DEFAULT_MAX_CONCURRENT_PERCENT / 100.0)));
        moves.assign(
            cohorts.at(decision.percent()),
            views,
            limit,
            now,
            id -> gate.hold(views.get(id).member()).isEmpty());
        return Returns.NONE;
      }
      case ROLL_BACK -> {
        return rollBack(moves, scene.compatible(), watch, now);
      }
      default -> {
        // HOLD and NONE send nothing
        return Returns.NONE;
      }
    }
  }

  /**
   * Sends back the devices still told to run the model, and tries again, once their backoff ran
   * out, the devices whose switch back failed; devices back are sent nothing.
   */
  private static Returns rollBack(
      DeviceMoves moves, List<Member> members, ReturnWatch watch, Instant now) {
    DeviceMoves.RollBack sent = moves.rollBack(members);
    List<DeviceReturn> returning = new ArrayList<>();
    for (Member member : members) {
      ModelRef model = sent.sent().get(member.id());
      DeviceReturn way = model != null ? watch.sent(member, model) : watch.classify(member, now);
      if (way == null) {
        continue;
      }
      if (way.due(now)) {
        moves.retryReturn(way);
      }
      returning.add(way);
    }
    return Returns.of(sent.stranded(), returning);
  }

  private static Map<String, DeviceView> classify(
      RolloutScene scene, DeviceClassifier classifier, List<String> ranked, Instant now) {
    Map<String, Member> byId = new LinkedHashMap<>();
    scene.compatible().forEach(m -> byId.put(m.id(), m));
    Map<String, DeviceView> views = new LinkedHashMap<>();
    for (String id : ranked) {
      views.put(id, classifier.classify(byId.get(id), now));
    }
    return views;
  }

  /**
   * The cohorts of one pass, each percent's taken once: the stepper asks for the step's cohort,
   * sometimes twice, and acting on a step takes the same one.
   */
  private static final class Cohorts {
    private final List<String> ranked;
    private final Map<String, DeviceView> views;
    private final Map<Integer, List<String>> byPercent = new HashMap<>();

    Cohorts(List<String> ranked, Map<String, DeviceView> views) {
      this.ranked = ranked;
      this.views = views;
    }

    List<String> at(int percent) {
      return byPercent.computeIfAbsent(
          percent,
          p ->
              CohortPlanner.cohortOfRanked(
                  ranked, p, id -> chosen(views.get(id)), id -> views.get(id).canRevert()));
    }
  }

  private static CohortProgress progress(
      List<String> cohort,
      List<String> ranked,
      Map<String, DeviceView> views,
      int percent,
      boolean skipOffline) {
    int left = Math.max(0, CohortPlanner.size(ranked.size(), percent) - cohort.size());
    int updated = 0;
    int failed = 0;
    int offline = 0;
    for (String id : cohort) {
      DeviceState state = views.get(id).state();
      if (state == DeviceState.UPDATED) {
        updated++;
      } else if (state == DeviceState.FAILED) {
        failed++;
      } else if (state == DeviceState.OFFLINE) {
        offline++;
      }
    }
    return new CohortProgress(
        cohort.size(), updated, failed, skipOffline ? 0 : offline, skipOffline ? offline : 0, left);
  }

  /** Whether a device was chosen by an earlier pass: asked for the model, or running it. */
  private static boolean chosen(DeviceView view) {
    return view.state() == DeviceState.UPDATED || view.attempt() > 0;
  }

  /** The counts of status, in one pass over the views. */
  private static RolloutDeviceCounts counts(Map<String, DeviceView> views, int incompatible) {
    int[] byState = new int[DeviceState.values().length];
    int cannotRevert = 0;
    for (DeviceView view : views.values()) {
      byState[view.state().ordinal()]++;
      if (!view.canRevert()) {
        cannotRevert++;
      }
    }
    RolloutDeviceCounts counts = new RolloutDeviceCounts();
    counts.targeted = views.size();
    counts.updated = byState[DeviceState.UPDATED.ordinal()];
    counts.inProgress =
        byState[DeviceState.IN_PROGRESS.ordinal()] + byState[DeviceState.RETRYING.ordinal()];
    counts.pending = byState[DeviceState.PENDING.ordinal()];
    counts.failed = byState[DeviceState.FAILED.ordinal()];
    counts.offline = byState[DeviceState.OFFLINE.ordinal()];
    counts.incompatible = incompatible;
    counts.cannotRevert = cannotRevert;
    return counts;
  }

  private static List<DeviceFailure> failures(Map<String, DeviceView> views, RolloutScene scene) {
    List<DeviceFailure> failures = new ArrayList<>();
    for (DeviceView view : views.values()) {
      if (failures.size() == LISTED) {
        return failures;
      }
      if (view.state() == DeviceState.FAILED) {
        DeviceFailure failure = new DeviceFailure();
        failure.device = view.id();
        failure.reason = view.reason();
        failure.message = view.message();
        failure.attempts = view.attempt();
        failures.add(failure);
      }
    }
    for (DeviceFailure incompatible : scene.incompatibleListed()) {
      if (failures.size() == LISTED) {
        break;
      }
      failures.add(incompatible);
    }
    return failures;
  }

  private static int count(Map<String, DeviceView> views, DeviceState state) {
    return (int) views.values().stream().filter(v -> v.state() == state).count();
  }

  private static int attempts(StrategySpec strategy) {
    return 1 + (strategy == null || strategy.retries == null ? 2 : strategy.retries);
  }

  private static Duration deviceTimeout(StrategySpec strategy) {
    return Durations.parse(
        strategy == null ? null : strategy.deviceTimeout, DEFAULT_DEVICE_TIMEOUT);
  }

  private static boolean offlineSkipped(StrategySpec strategy) {
    return strategy != null && strategy.offlineDevices == StrategySpec.OfflinePolicy.SKIP;
  }

  private static int trialSeconds(ModelRollout rollout) {
    StrategySpec strategy = rollout.getSpec().strategy;
    return (int)
        Durations.parse(strategy == null ? null : strategy.trial, DEFAULT_TRIAL).toSeconds();
  }

  /** The planner's key: two rollouts pick different canaries, one rollout always the same. */
  static String key(ModelRollout rollout) {
    return rollout.getMetadata().getNamespace()
        + "/"
        + rollout.getMetadata().getName()
        + "/"
        + rollout.getMetadata().getUid();
  }
}
