package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.operator.status.ConditionsBuilder;
import io.fieldproof.operator.status.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

/** Reconciles a DeviceGroup: check the spec, observe the members, report status. */
@ControllerConfiguration(name = "devicegroup")
public class DeviceGroupReconciler implements Reconciler<DeviceGroup> {

  private final Clock clock;
  private final DeviceGroupSpecChecker checker = new DeviceGroupSpecChecker();
  private final DeviceGroupStatusAggregator aggregator = new DeviceGroupStatusAggregator();

  public DeviceGroupReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<DeviceGroup> reconcile(DeviceGroup group, Context<DeviceGroup> context) {
    List<String> problems = checker.check(group.getSpec());
    DeviceCounts members = new DeviceCounts();
    DeviceGroupStatus status =
        aggregator.aggregate(
            group, new DeviceGroupStatusAggregator.Observation(members, problems), clock.instant());
    return StatusPatch.ifChanged(group, status, DeviceGroup::new);
  }

  @Override
  public ErrorStatusUpdateControl<DeviceGroup> updateErrorStatus(
      DeviceGroup group, Context<DeviceGroup> context, Exception e) {
    DeviceGroupStatus status =
        group.getStatus() == null ? new DeviceGroupStatus() : group.getStatus();
    status.conditions =
        new ConditionsBuilder(
                status.conditions, group.getMetadata().getGeneration(), clock.instant())
            .set(DeviceGroupStatusAggregator.READY, false, "ReconcileError", e.getMessage())
            .carryOver()
            .build();
    return ErrorStatusUpdateControl.patchStatus(
        StatusPatch.onlyStatus(group, status, DeviceGroup::new));
  }
}
