package io.fieldproof.operator.observe;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.devicegroup.MembershipObserver;
import io.fieldproof.operator.fleet.FleetIndex;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet as the gauges and the page show it: each group with its members, worked out from the
 * fleet index the same way the group's reconciler does, so the counts match its status.
 */
@Singleton
public class FleetView {

  /** A group and the devices its selector matches now. */
  public record GroupMembers(DeviceGroup group, List<Member> members) {}

  private final ClusterState cluster;
  private final FleetIndex index;
  private final MembershipObserver observer;

  public FleetView(ClusterState cluster, FleetIndex index) {
    this.cluster = cluster;
    this.index = index;
    this.observer = new MembershipObserver(index);
  }

  /** Namespaces with a group, a rollout, or a device or gateway heard of. */
  public Set<String> namespaces() {
    Set<String> namespaces = new TreeSet<>(cluster.namespaces());
    namespaces.addAll(index.namespaces());
    return namespaces;
  }

  public List<GroupMembers> groups(String namespace) {
    List<DeviceGroup> groups =
        cluster.groups(namespace).stream().filter(g -> g.getSpec() != null).toList();
    return groups.stream().map(g -> new GroupMembers(g, observer.observe(g, groups))).toList();
  }

  public ClusterState cluster() {
    return cluster;
  }

  public FleetIndex index() {
    return index;
  }
}
