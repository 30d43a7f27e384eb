package io.fieldproof.operator.observe;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.devicegroup.MemberHealth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The states a group's member is counted in (the state label of fieldproof_group_devices), read the
 * way the group's status reads them. A member can be in several: offline and drifting, say.
 */
enum MemberState {
  ONLINE("online", Member::online),
  OFFLINE("offline", m -> !m.online()),
  HEALTHY("healthy", MemberHealth::healthy),
  UNREACHABLE("unreachable", MemberHealth::unreachable),
  FALLBACK("fallback", MemberHealth::fallbackActive),
  SENSOR_FAULT("sensor_fault", MemberHealth::sensorFault),
  DRIFTING("drifting", MemberHealth::drifting),
  CONFLICT("conflict", Member::conflicted);

  private final String label;
  private final Predicate<Member> holds;

  MemberState(String label, Predicate<Member> holds) {
    this.label = label;
    this.holds = holds;
  }

  String label() {
    return label;
  }

  /** How many members are in each state, every state present (zero when none). */
  static Map<MemberState, Integer> count(List<Member> members) {
    Map<MemberState, Integer> counts = new EnumMap<>(MemberState.class);
    for (MemberState state : values()) {
      counts.put(state, (int) members.stream().filter(state.holds).count());
    }
    return counts;
  }
}
