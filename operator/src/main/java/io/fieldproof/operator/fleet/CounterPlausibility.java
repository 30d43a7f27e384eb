package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.Health;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a device's health counters can be true, against its previous accepted report: no counter
 * or uptime is negative, and no counter grows faster than {@code maxCountsPerSecond} per second of
 * the device's uptime, since boot or, when no counter went back, since the previous report.
 * Counters that went back started again and are taken, as after a reboot. A device counts at most
 * one inference, alarm, alarm episode and fallback activation (of each action) per step, so a count
 * above what its uptime allows was made up; such a report would otherwise dilute or inflate a
 * rollout's gate rates.
 *
 * <p>Alarms are not held to inferences: a fallback rule raises alarms without a model (see
 * device-runtime.md), so a device can have more alarms than inferences.
 */
final class CounterPlausibility {

  /**
   * One second of counts on top of what the uptime allows: a report reads counters and uptime at
   * slightly different instants.
   */
  private static final long SLACK_SECONDS = 1;

  private CounterPlausibility() {}

  /** Why {@code now} cannot follow {@code before} (null: the device's first report), if so. */
  static Optional<String> problem(Health before, Health now, long maxCountsPerSecond) {
    if (now == null) {
      return Optional.empty();
    }
    if (now.uptimeMs() < 0) {
      return Optional.of("uptimeMs is negative");
    }
    Map<String, Long> counters = counters(now);
    for (Map.Entry<String, Long> counter : counters.entrySet()) {
      if (counter.getValue() == null || counter.getValue() < 0) {
        return Optional.of(counter.getKey() + " is negative");
      }
      long allowed = allowed(now.uptimeMs(), maxCountsPerSecond);
      if (counter.getValue() > allowed) {
        return Optional.of(
            counter.getKey()
                + " "
                + counter.getValue()
                + " in "
                + now.uptimeMs()
                + " ms of uptime, at most "
                + allowed);
      }
    }
    if (before == null || now.uptimeMs() < before.uptimeMs()) {
      return Optional.empty();
    }
    Map<String, Long> previous = counters(before);
    if (restarted(previous, counters)) {
      return Optional.empty();
    }
    long elapsedMs = now.uptimeMs() - before.uptimeMs();
    long allowedDelta = allowed(elapsedMs, maxCountsPerSecond);
    for (Map.Entry<String, Long> counter : counters.entrySet()) {
      long was = previous.getOrDefault(counter.getKey(), 0L);
      long delta = counter.getValue() - was;
      if (delta > allowedDelta) {
        return Optional.of(
            counter.getKey()
                + " grew by "
                + delta
                + " in "
                + elapsedMs
                + " ms, at most "
                + allowedDelta);
      }
    }
    return Optional.empty();
  }

  /**
   * Counters that went back started again: a reboot the uptime did not show, or a device that
   * counts per model and activated another. Such a report is taken, as a reboot is (the gate
   * windows start again from it); what it may hold is still capped by the uptime.
   */
  private static boolean restarted(Map<String, Long> previous, Map<String, Long> now) {
    return now.entrySet().stream()
        .anyMatch(c -> c.getValue() < previous.getOrDefault(c.getKey(), 0L));
  }

  private static long allowed(long uptimeMs, long maxCountsPerSecond) {
    long seconds = uptimeMs / 1000 + SLACK_SECONDS;
    return seconds > Long.MAX_VALUE / maxCountsPerSecond
        ? Long.MAX_VALUE
        : seconds * maxCountsPerSecond;
  }

  private static Map<String, Long> counters(Health health) {
    Map<String, Long> counters = new java.util.LinkedHashMap<>();
    counters.put("readings", health.readings());
    counters.put("telemetryFrames", health.telemetryFrames());
    counters.put("inferences", health.inferences());
    counters.put("alarms", health.alarms());
    counters.put("fallbackActivations", health.fallbackActivations());
    if (health.alarmEpisodes() != null) {
      counters.put("alarmEpisodes", health.alarmEpisodes());
    }
    for (Map.Entry<String, Long> action : health.fallbackActivationsByAction().entrySet()) {
      counters.put("fallbackActivationsByAction." + action.getKey(), action.getValue());
    }
    for (Map.Entry<String, Long> fault : health.sensorFaultsByKind().entrySet()) {
      counters.put("sensorFaultsByKind." + fault.getKey(), fault.getValue());
    }
    return counters;
  }
}
