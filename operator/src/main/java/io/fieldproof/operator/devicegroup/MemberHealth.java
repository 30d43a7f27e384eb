package io.fieldproof.operator.devicegroup;

import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ReportedState;
import java.util.Optional;

/** What a member's last report says about its health, read the same way everywhere. */
public final class MemberHealth {

  private MemberHealth() {}

  static Optional<Health> health(Member member) {
    return Optional.ofNullable(member.entry().reported()).map(ReportedState::health);
  }

  public static boolean unreachable(Member member) {
    ReportedState reported = member.entry().reported();
    return reported != null && reported.link() == ReportedState.Link.UNREACHABLE;
  }

  static boolean configRejected(Member member) {
    ReportedState reported = member.entry().reported();
    return reported != null && reported.configError() != null;
  }

  public static boolean fallbackActive(Member member) {
    return health(member).map(Health::fallbackActive).orElse(false);
  }

  /** A safe-state fallback rule decides for the member now: its outputs are in their safe state. */
  public static boolean safeState(Member member) {
    return health(member).map(h -> Health.SAFE_STATE.equals(h.fallbackAction())).orElse(false);
  }

  public static boolean sensorFault(Member member) {
    return health(member).map(h -> h.sensorFaults() > 0).orElse(false);
  }

  public static boolean drifting(Member member) {
    return health(member).map(h -> !h.driftingInputs().isEmpty()).orElse(false);
  }

  public static boolean healthy(Member member) {
    return member.online()
        && !member.conflicted()
        && !unreachable(member)
        && !configRejected(member)
        && !fallbackActive(member)
        && !sensorFault(member)
        && !drifting(member);
  }
}
