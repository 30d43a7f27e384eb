package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.FallbackActivations;
import io.fieldproof.api.v1alpha1.ModelShare;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ModelRef;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a group's members by state, sums their fallback activations by action, and counts which
 * model each runs.
 */
final class MemberCounter {

  static final int MAX_MODELS = 16;

  private MemberCounter() {}

  static DeviceCounts count(List<Member> members) {
    DeviceCounts counts = new DeviceCounts();
    for (Member member : members) {
      counts.total++;
      if (member.online()) {
        counts.online++;
      } else {
        counts.offline++;
      }
      counts.healthy += MemberHealth.healthy(member) ? 1 : 0;
      counts.fallbackActive += MemberHealth.fallbackActive(member) ? 1 : 0;
      counts.safeState += MemberHealth.safeState(member) ? 1 : 0;
      counts.sensorFault += MemberHealth.sensorFault(member) ? 1 : 0;
      counts.drifting += MemberHealth.drifting(member) ? 1 : 0;
      counts.cannotRevert += canRevert(member) ? 0 : 1;
    }
    counts.summary = counts.online + "/" + counts.total;
    return counts;
  }

  /** Whether the member has an earlier model to return to from the one it runs. */
  private static boolean canRevert(Member member) {
    var reported = member.entry().reported();
    var active =
        reported == null || reported.slots() == null ? null : reported.slots().activeModel();
    return active != null && ReturnPath.of(reported, active.sha256()).possible();
  }

  /** The members' fallback activations by action since their last boot, summed. */
  static FallbackActivations activations(List<Member> members) {
    FallbackActivations sum = new FallbackActivations();
    for (Member member : members) {
      Health health = MemberHealth.health(member).orElse(null);
      if (health == null) {
        continue;
      }
      sum.safeState += health.activations(Health.SAFE_STATE);
      sum.suppress += health.activations(Health.SUPPRESS);
      sum.alarm += health.activations(Health.ALARM);
      sum.holdLast += health.activations(Health.HOLD_LAST);
    }
    return sum;
  }

  static List<ModelShare> models(List<Member> members) {
    Map<String, ModelShare> bySha = new LinkedHashMap<>();
    for (Member member : members) {
      if (member.entry().reported() == null || member.entry().reported().slots() == null) {
        continue;
      }
      ModelRef active = member.entry().reported().slots().activeModel();
      if (active == null || active.sha256() == null) {
        continue;
      }
      ModelShare share =
          bySha.computeIfAbsent(
              active.sha256(),
              sha -> {
                ModelShare s = new ModelShare();
                s.sha256 = sha;
                s.version = active.version();
                return s;
              });
      share.devices++;
    }
    return bySha.values().stream()
        .sorted(Comparator.comparingInt((ModelShare s) -> -s.devices).thenComparing(s -> s.sha256))
        .limit(MAX_MODELS)
        .toList();
  }
}
