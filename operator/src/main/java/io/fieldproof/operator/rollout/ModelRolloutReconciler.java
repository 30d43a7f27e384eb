package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.models.ModelPublisher;
import io.fieldproof.operator.status.ConditionsBuilder;
import io.fieldproof.operator.status.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reconciles a ModelRollout: validate the model and its group, publish the validated model to the
 * agents, then report status. Deleting a rollout retracts its model unless another rollout of the
 * namespace holds it.
 */
@ControllerConfiguration(name = "modelrollout")
public class ModelRolloutReconciler implements Reconciler<ModelRollout>, Cleaner<ModelRollout> {

  /** How soon a rollout waiting for its group or its model source looks again. */
  static final Duration RECHECK_WAITING = Duration.ofSeconds(10);

  /** How soon a validated rollout looks again at its group's members. */
  static final Duration RECHECK_MEMBERS = Duration.ofSeconds(30);

  private final Clock clock;
  private final KubernetesClient client;
  private final ModelRolloutValidator validator;
  private final ModelPublisher models;
  private final ModelRolloutStatusAggregator aggregator = new ModelRolloutStatusAggregator();

  public ModelRolloutReconciler(KubernetesClient client, Clock clock, ModelPublisher models) {
    this.clock = clock;
    this.client = client;
    this.validator = new ModelRolloutValidator(client);
    this.models = models;
  }

  @Override
  public UpdateControl<ModelRollout> reconcile(
      ModelRollout rollout, Context<ModelRollout> context) {
    Verdict verdict = validator.validate(rollout);
    distribute(rollout, verdict, context);
    RolloutDeviceCounts devices = targeted(rollout);
    ModelRolloutStatus status = aggregator.aggregate(rollout, verdict, devices, clock.instant());
    UpdateControl<ModelRollout> control = StatusPatch.ifChanged(rollout, status, ModelRollout::new);
    return verdict.outcome() == Verdict.Outcome.WAITING
        ? control.rescheduleAfter(RECHECK_WAITING)
        : control.rescheduleAfter(RECHECK_MEMBERS);
  }

  @Override
  public DeleteControl cleanup(ModelRollout rollout, Context<ModelRollout> context) {
    models.forget(rollout, siblings(rollout, context));
    return DeleteControl.defaultDelete();
  }

  /** A validated model goes to the agents; a rollout without one holds no model. */
  private void distribute(ModelRollout rollout, Verdict verdict, Context<ModelRollout> context) {
    if (verdict.outcome() == Verdict.Outcome.VALID) {
      models.hold(rollout, verdict.modelBytes(), siblings(rollout, context));
    } else {
      models.release(rollout, siblings(rollout, context));
    }
  }

  private static List<ModelRollout> siblings(ModelRollout rollout, Context<ModelRollout> context) {
    return context.getPrimaryCache().list(rollout.getMetadata().getNamespace()).toList();
  }

  /** The group's members, as the group's status counts them, are the rollout's targets. */
  private RolloutDeviceCounts targeted(ModelRollout rollout) {
    RolloutDeviceCounts devices = new RolloutDeviceCounts();
    DeviceGroup group =
        client
            .resources(DeviceGroup.class)
            .inNamespace(rollout.getMetadata().getNamespace())
            .withName(rollout.getSpec().deviceGroup)
            .get();
    if (group != null && group.getStatus() != null && group.getStatus().devices != null) {
      devices.targeted = group.getStatus().devices.total;
      devices.pending = group.getStatus().devices.total;
      devices.offline = group.getStatus().devices.offline;
    }
    return devices;
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
