package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.devicegroup.MembershipObserver;
import io.fieldproof.operator.fleet.FleetIndex;
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

  private final MembershipObserver membership;

  public ModelRolloutReconciler(
      KubernetesClient client, Clock clock, ModelPublisher models, FleetIndex fleet) {
    this.clock = clock;
    this.client = client;
    this.validator = new ModelRolloutValidator(client);
    this.models = models;
    this.membership = new MembershipObserver(fleet);
  }

  @Override
  public UpdateControl<ModelRollout> reconcile(
      ModelRollout rollout, Context<ModelRollout> context) {
    Verdict verdict = validator.validate(rollout);
    distribute(rollout, verdict, context);
    Targets targets = targets(rollout, verdict);
    ModelRolloutStatus status =
        aggregator.aggregate(
            rollout, verdict, targets.devices(), targets.incompatible(), clock.instant());
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

  /** The rollout's device counts and the members its model does not fit. */
  private record Targets(RolloutDeviceCounts devices, List<DeviceFailure> incompatible) {}

  /**
   * The group's members are the rollout's targets: those its model fits, and, once the model is
   * validated, those it does not (incompatible: counted, listed, never flashed). Members in a
   * conflict get nothing from any group and are not counted.
   */
  private Targets targets(ModelRollout rollout, Verdict verdict) {
    RolloutDeviceCounts devices = new RolloutDeviceCounts();
    String namespace = rollout.getMetadata().getNamespace();
    List<DeviceGroup> groups =
        client.resources(DeviceGroup.class).inNamespace(namespace).list().getItems();
    DeviceGroup group =
        groups.stream()
            .filter(g -> g.getMetadata().getName().equals(rollout.getSpec().deviceGroup))
            .findFirst()
            .orElse(null);
    if (group == null) {
      return new Targets(devices, List.of());
    }
    List<Member> members =
        membership.observe(group, groups).stream().filter(m -> !m.conflicted()).toList();
    List<DeviceFailure> incompatible = List.of();
    List<Member> compatible = members;
    if (verdict.outcome() == Verdict.Outcome.VALID) {
      MemberFit.Result fit = MemberFit.check(verdict.modelBytes(), members);
      devices.incompatible = fit.incompatible();
      incompatible = fit.listed();
      compatible = fit.compatible();
    }
    devices.targeted = compatible.size();
    devices.pending = compatible.size();
    devices.offline = (int) compatible.stream().filter(m -> !m.online()).count();
    return new Targets(devices, incompatible);
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
