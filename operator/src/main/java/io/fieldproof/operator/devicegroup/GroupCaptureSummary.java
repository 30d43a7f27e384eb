package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.CaptureSpec;
import io.fieldproof.api.v1alpha1.GroupCapture;
import io.fieldproof.protocol.CaptureHealth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Sums the capture counters of a group's members (their reported {@code health.capture}) into
 * {@code status.capture}: null when the group does not capture and no member reports any, so a
 * group that never captured keeps a status without it.
 */
final class GroupCaptureSummary {

  /** A drop reason as agents label it; anything else is not summed. */
  private static final Pattern REASON = Pattern.compile("[a-z][a-z_]{0,31}");

  private GroupCaptureSummary() {}

  static GroupCapture of(CaptureSpec spec, List<Member> members) {
    GroupCapture sum = new GroupCapture();
    Map<String, Long> dropped = new TreeMap<>();
    boolean reported = false;
    for (Member member : members) {
      CaptureHealth capture = MemberHealth.health(member).map(h -> h.capture()).orElse(null);
      if (capture == null) {
        continue;
      }
      reported = true;
      if (capture.captures() != null) {
        sum.devicesCapturing++;
        sum.windowsCaptured = add(sum.windowsCaptured, capture.captures());
      }
      sum.windowsMissed = add(sum.windowsMissed, capture.capturesMissed());
      sum.windowsUploaded = add(sum.windowsUploaded, capture.windowsUploaded());
      capture
          .windowsDropped()
          .forEach(
              (reason, count) -> {
                if (REASON.matcher(reason).matches() && count > 0) {
                  dropped.merge(reason, count, GroupCaptureSummary::add);
                }
              });
    }
    boolean enabled = spec != null && Boolean.TRUE.equals(spec.enabled);
    if (!enabled && !reported) {
      return null;
    }
    dropped.entrySet().stream()
        .limit(GroupCapture.MAX_DROP_REASONS)
        .forEach(e -> sum.windowsDropped.put(e.getKey(), e.getValue()));
    return sum;
  }

  /** The sum, held at Long.MAX_VALUE (a hostile report cannot wrap it); null and negative as 0. */
  private static long add(long sum, Long value) {
    long v = value == null || value < 0 ? 0 : value;
    return v > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + v;
  }
}
