package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.status.ConditionsBuilder;
import io.fieldproof.operator.status.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;

/** Reconciles a ModelRollout: validate the model and its group, then report status. */
@ControllerConfiguration(name = "modelrollout")
public class ModelRolloutReconciler implements Reconciler<ModelRollout> {

  /** How soon a rollout waiting for its group or its model source looks again. */
  static final Duration RECHECK_WAITING = Duration.ofSeconds(10);

  /** How soon a validated rollout looks again at its group's members. */
  static final Duration RECHECK_MEMBERS = Duration.ofSeconds(30);

  private final Clock clock;
  private final KubernetesClient client;
  private final ModelRolloutValidator validator;
  private final ModelRolloutStatusAggregator aggregator = new ModelRolloutStatusAggregator();

  public ModelRolloutReconciler(KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.client = client;
    this.validator = new ModelRolloutValidator(client);
  }

  @Override
  public UpdateControl<ModelRollout> reconcile(
      ModelRollout rollout, Context<ModelRollout> context) {
    Verdict verdict = validator.validate(rollout);
    RolloutDeviceCounts devices = targeted(rollout);
    ModelRolloutStatus status = aggregator.aggregate(rollout, verdict, devices, clock.instant());
    UpdateControl<ModelRollout> control = StatusPatch.ifChanged(rollout, status, ModelRollout::new);
    return verdict.outcome() == Verdict.Outcome.WAITING
        ? control.rescheduleAfter(RECHECK_WAITING)
        : control.rescheduleAfter(RECHECK_MEMBERS);
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
