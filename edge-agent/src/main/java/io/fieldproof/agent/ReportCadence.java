package io.fieldproof.agent;

import io.fieldproof.protocol.ReportedState;
import java.time.Duration;
import java.util.Objects;

/**
 * When a device's periodic report goes out. The agent looks at every device each tick (its own
 * {@code reportInterval}: reboots, lost configs and dead links are found that fast), but publishes
 * the device's health only every {@code reportIntervalSeconds} of the desired config (the group's
 * {@code spec.telemetry}), and never more often than the tick. A report whose state other than
 * health changed (link, generation, slots, update phase, errors) goes out on the tick that sees it.
 */
final class ReportCadence {

  private final Duration tick;
  private long lastSentNanos;
  private ReportedState lastSent;

  ReportCadence(Duration tick) {
    this.tick = tick;
  }

  /** The health period in force: the group's interval, or the tick without a desired config. */
  Duration period(Integer groupIntervalSeconds) {
    if (groupIntervalSeconds == null || groupIntervalSeconds <= 0) {
      return tick;
    }
    Duration group = Duration.ofSeconds(groupIntervalSeconds);
    return group.compareTo(tick) > 0 ? group : tick;
  }

  /** Whether a periodic look that produced {@code next} must be published at {@code nowNanos}. */
  boolean due(ReportedState next, Integer groupIntervalSeconds, long nowNanos) {
    if (lastSent == null || !sameBesideHealth(lastSent, next)) {
      return true;
    }
    return nowNanos - lastSentNanos >= period(groupIntervalSeconds).toNanos();
  }

  /** Records a published report (periodic or prompted by an event). */
  void sent(ReportedState state, long nowNanos) {
    lastSent = state;
    lastSentNanos = nowNanos;
  }

  private static boolean sameBesideHealth(ReportedState a, ReportedState b) {
    return a.link() == b.link()
        && a.observedGeneration() == b.observedGeneration()
        && Objects.equals(a.configError(), b.configError())
        && Objects.equals(a.slots(), b.slots())
        && Objects.equals(a.phase(), b.phase())
        && Objects.equals(a.lastError(), b.lastError())
        && Objects.equals(a.update(), b.update());
  }
}
