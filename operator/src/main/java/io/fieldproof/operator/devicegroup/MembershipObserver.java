package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.fleet.SelectorMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Works out a group's members from the fleet index: the announced devices of its namespace that its
 * selector matches. A device that another group also selects is a member in conflict: shown, never
 * silently taken over. A device that two gateways announce is not: the first gateway keeps it, and
 * the later claim is shown in the group's attention list ({@link AttentionList}).
 */
public final class MembershipObserver {

  private final FleetIndex index;

  public MembershipObserver(FleetIndex index) {
    this.index = index;
  }

  public List<Member> observe(DeviceGroup group, Collection<DeviceGroup> groupsInNamespace) {
    String namespace = group.getMetadata().getNamespace();
    Duration offlineAfter = RuntimeConfigMapper.offlineAfter(group.getSpec());
    List<Member> members = new ArrayList<>();
    for (DeviceEntry entry : index.devices(namespace)) {
      if (entry.info() == null
          || entry.announcedBy().isEmpty()
          || !SelectorMatcher.matches(group.getSpec().selector, entry.info().labels())) {
        continue;
      }
      members.add(
          new Member(
              entry,
              index.presence(entry, offlineAfter),
              conflict(group, entry, groupsInNamespace)));
    }
    members.sort(Comparator.comparing(Member::id));
    return members;
  }

  private static String conflict(
      DeviceGroup group, DeviceEntry entry, Collection<DeviceGroup> groups) {
    List<String> others =
        groups.stream()
            .filter(other -> !other.getMetadata().getName().equals(group.getMetadata().getName()))
            .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
            .filter(
                other ->
                    other.getSpec() != null
                        && SelectorMatcher.matches(other.getSpec().selector, entry.info().labels()))
            .map(other -> other.getMetadata().getName())
            .sorted()
            .toList();
    if (!others.isEmpty()) {
      return "also selected by DeviceGroup " + String.join(", ", others);
    }
    return null;
  }
}
