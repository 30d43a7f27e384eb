package io.fieldproof.operator.rollout.gates;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * What each device of a rollout did since the rollout began watching it running its current model:
 * the agents report counters since boot, and a gate must judge the model, not the device's history.
 * A window opens when the device is first seen on a model and opens again when the model or the
 * config generation it applied changes, or the counters go back (a reboot). Time a device spends
 * offline or unreachable is its downtime. Kept in memory: after an operator restart the windows
 * open again.
 *
 * <p>No single device can swing a cohort's rates: a device's inferences count at most {@value
 * #MAX_WEIGHT_TO_MEDIAN} times the cohort's median device (the lower median), and its alarms,
 * fallbacks and sensor faults are scaled by the same factor, so it keeps its own rate but not more
 * than that weight. One device reporting a huge inference count cannot dilute the cohort's alarm
 * rate towards zero, nor a huge alarm count inflate it. Reports whose counters cannot be true never
 * get here: the fleet index drops them.
 */
public final class SignalWindows {

  private static final class Window {
    final String sha256;
    final long generation;
    final Health start;
    Health last;
    Duration down = Duration.ZERO;
    Instant downSince;

    Window(String sha256, long generation, Health start) {
      this.sha256 = sha256;
      this.generation = generation;
      this.start = start;
      this.last = start;
    }

    double downtimeSeconds(Instant now) {
      Duration total = downSince == null ? down : down.plus(Duration.between(downSince, now));
      return total.toMillis() / 1000.0;
    }
  }

  /** How many times the median device's inferences one device may weigh in a cohort's rates. */
  public static final int MAX_WEIGHT_TO_MEDIAN = 2;

  /** One device's counts over its window. */
  private record Delta(long inferences, long alarms, long fallbacks, long faults) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Takes in each member's latest report. */
  public void observe(Collection<Member> members, Instant now) {
    for (Member member : members) {
      ReportedState reported = member.entry().reported();
      Health health = reported == null ? null : reported.health();
      ModelRef active = reported == null || reported.slots() == null ? null : activeOf(reported);
      if (health == null || active == null) {
        continue;
      }
      Window window = windows.get(member.id());
      long generation = reported.observedGeneration();
      if (window == null
          || !window.sha256.equals(active.sha256())
          || window.generation != generation
          || wentBack(window, health)) {
        window = new Window(active.sha256(), generation, health);
        windows.put(member.id(), window);
      }
      window.last = health;
      boolean down = !member.online();
      if (down && window.downSince == null) {
        window.downSince = now;
      } else if (!down && window.downSince != null) {
        window.down = window.down.plus(Duration.between(window.downSince, now));
        window.downSince = null;
      }
    }
  }

  /**
   * The signals of {@code devices} over their windows on a model {@code model} accepts; a device
   * counts once its window has seen an inference.
   *
   * @param selfTestFailures how many of them failed the model's self-test
   */
  public CohortSignals signals(
      Collection<String> devices, Predicate<String> model, long selfTestFailures, Instant now) {
    return signals(devices, (sha, generation) -> model.test(sha), selfTestFailures, now);
  }

  /**
   * The signals of {@code devices} over their windows on a model and config generation {@code unit}
   * accepts; a device counts once its window has seen an inference.
   *
   * @param unit tells from the model's sha256 and the config generation the device applied whether
   *     the device's window counts
   * @param selfTestFailures how many of them failed the model's self-test
   */
  public CohortSignals signals(
      Collection<String> devices,
      BiPredicate<String, Long> unit,
      long selfTestFailures,
      Instant now) {
    double downtime = 0;
    List<Double> latencies = new ArrayList<>();
    List<Delta> deltas = new ArrayList<>();
    for (String device : devices) {
      Window window = windows.get(device);
      if (window == null || !unit.test(window.sha256, window.generation)) {
        continue;
      }
      long ran = window.last.inferences() - window.start.inferences();
      if (ran <= 0) {
        continue;
      }
      deltas.add(
          new Delta(
              ran,
              window.last.alarms() - window.start.alarms(),
              window.last.fallbackActivations() - window.start.fallbackActivations(),
              faultCount(window.last) - faultCount(window.start)));
      downtime += window.downtimeSeconds(now);
      if (window.last.latencyP95Ms() != null) {
        latencies.add(window.last.latencyP95Ms());
      }
    }
    long cap = weightCap(deltas);
    long inferences = 0;
    long alarms = 0;
    long fallbacks = 0;
    long faults = 0;
    for (Delta delta : deltas) {
      double scale = delta.inferences() > cap ? cap / (double) delta.inferences() : 1.0;
      inferences += Math.min(delta.inferences(), cap);
      alarms += scaled(delta.alarms(), scale);
      fallbacks += scaled(delta.fallbacks(), scale);
      faults += scaled(delta.faults(), scale);
    }
    return new CohortSignals(
        deltas.size(),
        inferences,
        alarms,
        fallbacks,
        faults,
        latencies,
        selfTestFailures,
        downtime);
  }

  /** The most inferences one device may weigh: a multiple of the lower median device's. */
  private static long weightCap(List<Delta> deltas) {
    if (deltas.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long[] counts = deltas.stream().mapToLong(Delta::inferences).sorted().toArray();
    long median = counts[(counts.length - 1) / 2];
    return median > Long.MAX_VALUE / MAX_WEIGHT_TO_MEDIAN
        ? Long.MAX_VALUE
        : median * MAX_WEIGHT_TO_MEDIAN;
  }

  private static long scaled(long count, double scale) {
    return scale == 1.0 ? count : Math.round(count * scale);
  }

  /** The model a report shows running. */
  private static ModelRef activeOf(ReportedState reported) {
    return reported.slots().activeModel();
  }

  private static boolean wentBack(Window window, Health now) {
    return now.uptimeMs() < window.last.uptimeMs() || now.inferences() < window.last.inferences();
  }

  /** Readings rejected as faulty so far: the per-kind counters are cumulative. */
  private static long faultCount(Health health) {
    return health.sensorFaultsByKind().values().stream().mapToLong(Long::longValue).sum();
  }
}
