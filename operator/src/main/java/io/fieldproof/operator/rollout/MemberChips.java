package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.MembershipObserver;
import io.fieldproof.operator.fleet.FleetIndex;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chips of a group's members, as their gateways announce them: what a model's energy figures
 * and power budget are checked for. Members in conflict count too: their chip is theirs whichever
 * group they end up in.
 */
final class MemberChips implements Function<DeviceGroup, Set<String>> {

  private final MembershipObserver membership;

  MemberChips(FleetIndex fleet) {
    this.membership = new MembershipObserver(fleet);
  }

  @Override
  public Set<String> apply(DeviceGroup group) {
    return membership.observe(group, List.of(group)).stream()
        .map(m -> m.entry().info().chip())
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
