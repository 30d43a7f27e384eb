package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.RuntimeConfig;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the retained desired state of every device in line with the groups: members out of conflict
 * get the group's runtime config, stamped with the group's generation; devices whose retained
 * desired state names the group but that are no longer members lose it. Publishing the same desired
 * state twice is skipped, so a reconcile that changes nothing publishes nothing.
 */
public final class DesiredStateSync {

  private final FleetIndex index;
  private final DesiredPublisher publisher;

  public DesiredStateSync(FleetIndex index, DesiredPublisher publisher) {
    this.index = index;
    this.publisher = publisher;
  }

  /** Publishes what changed; returns how many messages went out. */
  public int sync(DeviceGroup group, List<Member> members) {
    String namespace = group.getMetadata().getNamespace();
    String name = group.getMetadata().getName();
    RuntimeConfig config = RuntimeConfigMapper.from(group.getSpec());
    long generation = group.getMetadata().getGeneration();
    int published = 0;
    Set<String> keep =
        members.stream().filter(m -> !m.conflicted()).map(Member::id).collect(Collectors.toSet());
    for (Member member : members) {
      if (member.conflicted()) {
        continue;
      }
      if (publisher.update(
          namespace,
          member.id(),
          current -> withConfig(current, member.id(), name, generation, config))) {
        published++;
      }
    }
    for (DeviceEntry entry : index.devices(namespace)) {
      if (entry.desired() != null
          && name.equals(entry.desired().group())
          && !keep.contains(entry.id())) {
        publisher.retract(namespace, entry.id());
        published++;
      }
    }
    return published;
  }

  /** Retracts every desired state the group published (the group is being deleted). */
  public void retractAll(DeviceGroup group) {
    String namespace = group.getMetadata().getNamespace();
    for (DeviceEntry entry : index.devices(namespace)) {
      if (entry.desired() != null
          && group.getMetadata().getName().equals(entry.desired().group())) {
        publisher.retract(namespace, entry.id());
      }
    }
  }

  /**
   * The group's config on top of what {@code current} asks of the model: the model update policy
   * belongs to the rollouts and is carried over.
   */
  private static DesiredState withConfig(
      DesiredState current, String device, String group, long generation, RuntimeConfig config) {
    boolean ours = current != null && group.equals(current.group());
    return new DesiredState(
        Message.VERSION,
        device,
        group,
        generation,
        config,
        ours ? current.model() : null,
        ours ? current.selfTest() : null,
        ours ? current.trialSeconds() : null,
        ours ? current.attempt() : null);
  }
}
