package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
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
 * get the group's runtime config, stamped with the group's generation, or the config of a rollout
 * on top of it (see {@link GroupConfigs}): that of the config rollout whose cohort the device is in
 * while it acts, else that of the rollout in force; devices whose retained desired state names the
 * group but that are no longer members lose it. Publishing the same desired state twice is skipped,
 * so a reconcile that changes nothing publishes nothing.
 *
 * <p>A reconcile signs and publishes at most {@link #PER_RECONCILE} desired states, and none while
 * {@link #MAX_BACKLOG} signed ones still wait for the broker, and says whether more are due: a
 * group that ten thousand new devices joined gets its status written after the first thousand, not
 * after the last signature, the next reconciles go on with the rest, and the operator's heap never
 * holds more than a few thousand encoded desired states waiting to be sent (it held all 100 000 of
 * a fleet announced at once before, 150 MB).
 */
public final class DesiredStateSync {

  /** Desired states one reconcile publishes at most; the rest go out in the next ones. */
  public static final int PER_RECONCILE = 1000;

  /** Signed desired states waiting for the broker past which no more are signed for now. */
  public static final int MAX_BACKLOG = 2000;

  private final FleetIndex index;
  private final DesiredPublisher publisher;

  public DesiredStateSync(FleetIndex index, DesiredPublisher publisher) {
    this.index = index;
    this.publisher = publisher;
  }

  /** Publishes what changed, without rollouts; returns how many messages went out. */
  public int sync(DeviceGroup group, List<Member> members) {
    return sync(group, members, List.of(), Integer.MAX_VALUE).published();
  }

  /** What one sync did: messages sent, and whether more are due than its budget let it send. */
  public record Outcome(int published, boolean more) {}

  /**
   * Publishes what changed, up to {@link #PER_RECONCILE} desired states.
   *
   * @param rollouts the namespace's rollouts (those of other groups are ignored)
   */
  public Outcome sync(DeviceGroup group, List<Member> members, List<ModelRollout> rollouts) {
    return sync(group, members, rollouts, PER_RECONCILE);
  }

  /**
   * Publishes what changed, at most {@code budget} desired states (retractions are not counted),
   * none while the publisher's backlog is {@link #MAX_BACKLOG} or more.
   *
   * @param rollouts the namespace's rollouts (those of other groups are ignored)
   */
  public Outcome sync(
      DeviceGroup group, List<Member> members, List<ModelRollout> rollouts, int budget) {
    String namespace = group.getMetadata().getNamespace();
    String name = group.getMetadata().getName();
    GroupConfigs.Unit inForce = GroupConfigs.inForce(group, rollouts);
    int published = 0;
    Set<String> keep =
        members.stream().filter(m -> !m.conflicted()).map(Member::id).collect(Collectors.toSet());
    for (Member member : members) {
      if (member.conflicted()) {
        continue;
      }
      if (published >= budget || publisher.backlog() >= MAX_BACKLOG) {
        return new Outcome(published, true);
      }
      if (publisher.update(
          namespace,
          member.id(),
          current -> {
            GroupConfigs.Unit unit =
                current == null || !name.equals(current.group())
                    ? inForce
                    : GroupConfigs.forDevice(group, rollouts, current.generation(), inForce);
            return withConfig(current, member.id(), name, unit.generation(), unit.config());
          })) {
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
    return new Outcome(published, false);
  }

  /**
   * Whether a member's desired state names a config rollout {@code rollouts} do not hold: the
   * caller reads the rollouts afresh first, as its cache may not have seen a new one yet.
   */
  public boolean namesUnknownRollout(
      DeviceGroup group, List<Member> members, List<ModelRollout> rollouts) {
    String name = group.getMetadata().getName();
    return members.stream()
        .map(m -> m.entry().desired())
        .filter(d -> d != null && name.equals(d.group()))
        .anyMatch(d -> !GroupConfigs.knows(rollouts, d.generation()));
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
