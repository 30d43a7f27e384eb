package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.operator.fleet.FleetEventSource;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.labels.FalseAlarmSummary;
import io.fieldproof.operator.labels.LabeledWindows;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.operator.mqtt.FleetMqttConfig;
import io.fieldproof.operator.mqtt.FleetReplay;
import io.fieldproof.operator.status.ConditionsBuilder;
import io.fieldproof.operator.status.StatusPatch;
import io.fieldproof.protocol.capture.CaptureKey;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reconciles a DeviceGroup: check the spec, observe the members in the fleet index, publish their
 * desired config, report status. Deleting a group retracts its desired states.
 */
@ControllerConfiguration(name = "devicegroup")
public class DeviceGroupReconciler implements Reconciler<DeviceGroup>, Cleaner<DeviceGroup> {

  /** How soon a reconcile that left desired states to publish goes on with them. */
  static final Duration MORE_DESIRED_AFTER = Duration.ofMillis(250);

  private final Clock clock;
  private final FleetIndex index;
  private final Duration coalesceWindow;
  private final FleetReplay replay;
  private final DeviceGroupSpecChecker checker = new DeviceGroupSpecChecker();
  private final DeviceGroupStatusAggregator aggregator = new DeviceGroupStatusAggregator();
  private final MembershipObserver observer;
  private final DesiredStateSync desired;
  private FleetEventSource fleetEvents;
  private InformerEventSource<ModelRollout, DeviceGroup> rollouts;
  private InformerEventSource<CaptureLabel, DeviceGroup> labels;

  public DeviceGroupReconciler(
      Clock clock,
      FleetIndex index,
      DesiredPublisher publisher,
      FleetMqttConfig mqtt,
      FleetReplay replay) {
    this.clock = clock;
    this.index = index;
    this.replay = replay;
    this.coalesceWindow = mqtt.coalesceWindow();
    this.observer = new MembershipObserver(index);
    this.desired = new DesiredStateSync(index, publisher);
  }

  @Override
  public List<EventSource<?, DeviceGroup>> prepareEventSources(
      EventSourceContext<DeviceGroup> context) {
    fleetEvents = new FleetEventSource(index, context.getPrimaryCache(), coalesceWindow);
    rollouts =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ModelRollout.class, DeviceGroup.class)
                .withSecondaryToPrimaryMapper(
                    rollout ->
                        Set.of(
                            new ResourceID(
                                rollout.getSpec().deviceGroup,
                                rollout.getMetadata().getNamespace())))
                .build(),
            context);
    labels =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CaptureLabel.class, DeviceGroup.class)
                .withSecondaryToPrimaryMapper(DeviceGroupReconciler::labeledGroup)
                .build(),
            context);
    return List.of(fleetEvents, rollouts, labels);
  }

  @Override
  public UpdateControl<DeviceGroup> reconcile(DeviceGroup group, Context<DeviceGroup> context) {
    if (!replay.complete()) {
      // a partial index would count the members short and ask devices again for what they hold
      return UpdateControl.<DeviceGroup>noUpdate().rescheduleAfter(FleetReplay.RECHECK);
    }
    String namespace = group.getMetadata().getNamespace();
    if (specChanged(group)) {
      fleetEvents.siblingsChanged(namespace, group.getMetadata().getName());
    }
    List<String> problems = checker.check(group.getSpec());
    List<Member> members =
        observer.observe(group, context.getPrimaryCache().list(namespace).toList());
    List<ModelRollout> mine = rolloutList(group);
    if (desired.namesUnknownRollout(group, members, mine)) {
      mine = freshRollouts(group, context);
    }
    boolean moreToPublish = problems.isEmpty() && desired.sync(group, members, mine).more();
    DeviceGroupStatus status =
        aggregator.aggregate(
            group,
            new DeviceGroupStatusAggregator.Observation(members, problems, new GroupRollouts(mine)),
            clock.instant());
    status.falseAlarms = FalseAlarmSummary.of(labeledWindows(group), status.currentModel);
    status.configRollout =
        GroupConfigs.inForceRollout(group, mine).map(r -> r.getMetadata().getName()).orElse(null);
    UpdateControl<DeviceGroup> control = StatusPatch.ifChanged(group, status, context);
    if (moreToPublish) {
      return control.rescheduleAfter(MORE_DESIRED_AFTER);
    }
    return members.isEmpty() ? control : control.rescheduleAfter(recheckOffline(group));
  }

  @Override
  public DeleteControl cleanup(DeviceGroup group, Context<DeviceGroup> context) {
    if (!replay.complete()) {
      // the desired states to retract are not all known yet
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(FleetReplay.RECHECK);
    }
    desired.retractAll(group);
    fleetEvents.siblingsChanged(group.getMetadata().getNamespace(), group.getMetadata().getName());
    return DeleteControl.defaultDelete();
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

  private List<ModelRollout> rolloutList(DeviceGroup group) {
    String name = group.getMetadata().getName();
    return rollouts
        .list(group.getMetadata().getNamespace(), r -> name.equals(r.getSpec().deviceGroup))
        .toList();
  }

  /** The group a label's window belongs to: its key names it. */
  private static Set<ResourceID> labeledGroup(CaptureLabel label) {
    return CaptureKey.parse(label.getSpec() == null ? null : label.getSpec().window)
        .filter(key -> key.namespace().equals(label.getMetadata().getNamespace()))
        .map(key -> Set.of(new ResourceID(key.group(), key.namespace())))
        .orElse(Set.of());
  }

  private LabeledWindows labeledWindows(DeviceGroup group) {
    String namespace = group.getMetadata().getNamespace();
    return LabeledWindows.of(
        namespace, group.getMetadata().getName(), labels.list(namespace).toList());
  }

  /** The group's rollouts read from the API server, past the informer's cache. */
  private static List<ModelRollout> freshRollouts(DeviceGroup group, Context<DeviceGroup> context) {
    String name = group.getMetadata().getName();
    return context
        .getClient()
        .resources(ModelRollout.class)
        .inNamespace(group.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(r -> r.getSpec() != null && name.equals(r.getSpec().deviceGroup))
        .toList();
  }

  private static boolean specChanged(DeviceGroup group) {
    return group.getStatus() == null
        || !group.getMetadata().getGeneration().equals(group.getStatus().observedGeneration);
  }

  /** Members go offline by silence too: look again within the group's offline delay. */
  private static Duration recheckOffline(DeviceGroup group) {
    Duration offlineAfter = RuntimeConfigMapper.offlineAfter(group.getSpec());
    Duration half = offlineAfter.dividedBy(2);
    return half.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : half;
  }
}
