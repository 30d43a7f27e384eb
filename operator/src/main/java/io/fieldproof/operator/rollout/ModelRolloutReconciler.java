package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.models.ModelPublisher;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.operator.mqtt.FleetMqttConfig;
import io.fieldproof.operator.mqtt.FleetReplay;
import io.fieldproof.operator.rollout.progress.ModelAssigner;
import io.fieldproof.operator.rollout.source.UrlModelSource;
import io.fieldproof.operator.status.ConditionsBuilder;
import io.fieldproof.operator.status.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reconciles a ModelRollout: validate the model and its group, publish the validated model to the
 * agents, then move the rollout on (steps, gates, retries, rollback) and report status and events.
 * Deleting a rollout stops it where it is (devices not on its model yet keep what they run) and
 * retracts its model unless another rollout of the namespace holds it.
 */
@ControllerConfiguration(name = "modelrollout")
public class ModelRolloutReconciler implements Reconciler<ModelRollout>, Cleaner<ModelRollout> {

  /** How soon a rollout waiting for its group or its model source looks again. */
  static final Duration RECHECK_WAITING = Duration.ofSeconds(10);

  /** How soon a running rollout looks again even when no device reported. */
  static final Duration RECHECK_RUNNING = Duration.ofSeconds(5);

  /**
   * How soon a finished rollout looks again (members that joined, devices rolled back); a rollback
   * with a failed switch back waiting for its retry looks again as soon as a running rollout.
   */
  static final Duration RECHECK_FINISHED = Duration.ofSeconds(30);

  private static final Set<Phase> RUNNING = Set.of(Phase.PROGRESSING, Phase.PAUSED);

  private final Clock clock;
  private final FleetIndex fleet;
  private final Duration coalesceWindow;
  private final FleetReplay replay;
  private final ModelRolloutValidator validator;
  private final ModelPublisher models;
  private final RolloutSceneLoader scenes;
  private final RolloutEngine engine;
  private final RolloutEvents events;
  private final ModelRolloutStatusAggregator aggregator = new ModelRolloutStatusAggregator();

  public ModelRolloutReconciler(
      KubernetesClient client,
      Clock clock,
      ModelPublisher models,
      FleetIndex fleet,
      DesiredPublisher desired,
      FleetMqttConfig mqtt,
      UrlModelSource urls,
      FleetReplay replay) {
    this.clock = clock;
    this.replay = replay;
    this.fleet = fleet;
    this.coalesceWindow = mqtt.coalesceWindow();
    this.validator = new ModelRolloutValidator(client, urls, new MemberChips(fleet));
    this.models = models;
    this.scenes = new RolloutSceneLoader(client, fleet);
    this.engine = new RolloutEngine(new ModelAssigner(desired), new RolloutMemory());
    this.events = new RolloutEvents(client);
  }

  @Override
  public List<EventSource<?, ModelRollout>> prepareEventSources(
      EventSourceContext<ModelRollout> context) {
    return List.of(new RolloutFleetEvents(fleet, context.getPrimaryCache(), coalesceWindow));
  }

  @Override
  public UpdateControl<ModelRollout> reconcile(
      ModelRollout rollout, Context<ModelRollout> context) {
    if (!replay.complete()) {
      // a partial index would miss devices' reports and desired states: wait for the whole
      return UpdateControl.<ModelRollout>noUpdate().rescheduleAfter(FleetReplay.RECHECK);
    }
    Instant now = clock.instant();
    Verdict verdict = validator.validate(rollout);
    List<ModelRollout> siblings = siblings(rollout, context);
    distribute(rollout, verdict, siblings);
    RolloutScene scene = scenes.load(rollout, verdict, siblings);
    RolloutEngine.Outcome outcome =
        verdict.outcome() == Verdict.Outcome.VALID && scene.group() != null
            ? engine.advance(rollout, verdict, scene, now)
            : null;
    ModelRolloutStatus status =
        outcome != null
            ? aggregator.progressed(rollout, verdict, outcome, now)
            : aggregator.unvalidated(
                rollout, verdict, counts(scene), scene.incompatibleListed(), now);
    events.record(rollout, rollout.getStatus(), status, now);
    return StatusPatch.ifChanged(rollout, status, context)
        .rescheduleAfter(recheck(status, verdict, outcome));
  }

  @Override
  public DeleteControl cleanup(ModelRollout rollout, Context<ModelRollout> context) {
    if (!replay.complete()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(FleetReplay.RECHECK);
    }
    List<ModelRollout> siblings = siblings(rollout, context);
    Verdict verdict = validator.validate(rollout);
    if (RolloutSceneLoader.supersededBy(rollout, siblings) == null && !finished(rollout)) {
      engine.stop(rollout, verdict, scenes.load(rollout, verdict, siblings));
    }
    models.forget(rollout, siblings);
    return DeleteControl.defaultDelete();
  }

  /** Whether the rollout ended: it no longer acts on devices being updated. */
  private static boolean finished(ModelRollout rollout) {
    Phase phase = rollout.getStatus() == null ? null : rollout.getStatus().phase;
    return phase != null && !RUNNING.contains(phase) && phase != Phase.PENDING;
  }

  /** A validated model goes to the agents; a rollout without one holds no model. */
  private void distribute(ModelRollout rollout, Verdict verdict, List<ModelRollout> siblings) {
    if (verdict.outcome() == Verdict.Outcome.VALID) {
      models.hold(rollout, verdict.modelBytes(), siblings);
    } else {
      models.release(rollout, siblings);
    }
  }

  private static List<ModelRollout> siblings(ModelRollout rollout, Context<ModelRollout> context) {
    return context.getPrimaryCache().list(rollout.getMetadata().getNamespace()).toList();
  }

  /** The members a rollout not validated yet would target. */
  private static RolloutDeviceCounts counts(RolloutScene scene) {
    RolloutDeviceCounts devices = new RolloutDeviceCounts();
    devices.targeted = scene.compatible().size();
    devices.pending = scene.compatible().size();
    devices.offline = (int) scene.compatible().stream().filter(m -> !m.online()).count();
    return devices;
  }

  private static Duration recheck(
      ModelRolloutStatus status, Verdict verdict, RolloutEngine.Outcome outcome) {
    if (verdict.outcome() == Verdict.Outcome.WAITING) {
      return RECHECK_WAITING;
    }
    if (outcome != null && outcome.returns().retrying()) {
      // a switch back that failed is tried again once its backoff runs out
      return RECHECK_RUNNING;
    }
    return RUNNING.contains(status.phase) ? RECHECK_RUNNING : RECHECK_FINISHED;
  }

  @Override
  public ErrorStatusUpdateControl<ModelRollout> updateErrorStatus(
      ModelRollout rollout, Context<ModelRollout> context, Exception e) {
    ModelRolloutStatus status =
        rollout.getStatus() == null ? new ModelRolloutStatus() : rollout.getStatus();
    status.conditions =
        new ConditionsBuilder(
                status.conditions, rollout.getMetadata().getGeneration(), clock.instant())
            .set(
                ModelRolloutStatusAggregator.VALIDATED,
                ConditionsBuilder.UNKNOWN,
                "ReconcileError",
                e.getMessage())
            .carryOver()
            .build();
    return ErrorStatusUpdateControl.patchStatus(
        StatusPatch.onlyStatus(rollout, status, ModelRollout::new));
  }
}
