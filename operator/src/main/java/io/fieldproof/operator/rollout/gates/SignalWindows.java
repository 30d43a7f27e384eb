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
 * config generation it applied changes (a device that lost its config in a reboot reports
 * generation 0 until its agent puts it back: that is no change). A reboot does not open a new
 * window: the counters restart at 0 with the boot, so the window keeps what the device counted
 * before it and adds what it counts after, and the reboot counts. A device rebooted when its uptime
 * or its inference counter goes back between two reports. Time a device spends offline or
 * unreachable is its downtime, and so is the time a reboot took: from its last report before the
 * reboot to its boot (the time of the first report after it less its uptime), less what was already
 * counted offline. Kept in memory: after an operator restart the windows open again.
 *
 * <p>No single device can swing a cohort's rates: a device's inferences count at most {@value
 * #MAX_WEIGHT_TO_MEDIAN} times the cohort's median device (the lower median), and its alarms,
 * fallbacks and sensor faults are scaled by the same factor, so it keeps its own rate but not more
 * than that weight. One device reporting a huge inference count cannot dilute the cohort's alarm
 * rate towards zero, nor a huge alarm count inflate it. Alarm episodes are the device's own count
 * (alarmEpisodes); a device that does not report it counts its steps in alarm instead. Reports
 * whose counters cannot be true never get here: the fleet index drops them.
 */
public final class SignalWindows {

  private static final class Window {
    final String sha256;
    final long generation;

    /** The counters at the start of the window's part since the latest boot. */
    Delta since;

    Health last;

    /** When {@code last} was first seen. */
    Instant lastAt;

    /** What the device counted in the window before its latest boot. */
    Delta before = Delta.ZERO;

    int reboots;
    Duration down = Duration.ZERO;
    Instant downSince;

    /** When the latest offline spell that ended began; null if none ended. */
    Instant wentDown;

    /** When the latest offline spell that ended ended. */
    Instant upAgain;

    Window(String sha256, long generation, Health start, Instant now) {
      this.sha256 = sha256;
      this.generation = generation;
      this.since = Delta.of(start);
      this.last = start;
      this.lastAt = now;
    }

    /** The device booted before {@code health}: keep what it counted, and the reboot's downtime. */
    void rebooted(Health health, Instant now) {
      before = counted();
      since = Delta.ZERO;
      reboots++;
      if (downSince == null) {
        down = down.plus(offGap(lastAt, now.minusMillis(health.uptimeMs())));
      }
    }

    /** The part of {@code from}..{@code to} not already counted as an offline spell. */
    Duration offGap(Instant from, Instant to) {
      if (!to.isAfter(from)) {
        return Duration.ZERO;
      }
      Duration gap = Duration.between(from, to);
      if (wentDown != null) {
        Instant overlapFrom = wentDown.isAfter(from) ? wentDown : from;
        Instant overlapTo = upAgain.isBefore(to) ? upAgain : to;
        if (overlapTo.isAfter(overlapFrom)) {
          gap = gap.minus(Duration.between(overlapFrom, overlapTo));
        }
      }
      return gap;
    }

    Delta counted() {
      return before.plus(Delta.of(last)).minus(since);
    }

    double downtimeSeconds(Instant now) {
      Duration total = downSince == null ? down : down.plus(Duration.between(downSince, now));
      return total.toMillis() / 1000.0;
    }
  }

  /** How many times the median device's inferences one device may weigh in a cohort's rates. */
  public static final int MAX_WEIGHT_TO_MEDIAN = 2;

  /** One device's counts: over its window, or since its boot. */
  private record Delta(
      long inferences,
      long alarms,
      long fallbacks,
      long faults,
      long episodes,
      long safeStates,
      long suppresses,
      long holds) {

    static final Delta ZERO = new Delta(0, 0, 0, 0, 0, 0, 0, 0);

    /** A device's counters since boot. */
    static Delta of(Health health) {
      return new Delta(
          health.inferences(),
          health.alarms(),
          health.fallbackActivations(),
          faultCount(health),
          health.alarmEpisodesOrAlarms(),
          health.activations(Health.SAFE_STATE),
          health.activations(Health.SUPPRESS),
          health.activations(Health.HOLD_LAST));
    }

    Delta minus(Delta other) {
      return new Delta(
          inferences - other.inferences,
          alarms - other.alarms,
          fallbacks - other.fallbacks,
          faults - other.faults,
          episodes - other.episodes,
          safeStates - other.safeStates,
          suppresses - other.suppresses,
          holds - other.holds);
    }

    Delta plus(Delta other) {
      return new Delta(
          inferences + other.inferences,
          alarms + other.alarms,
          fallbacks + other.fallbacks,
          faults + other.faults,
          episodes + other.episodes,
          safeStates + other.safeStates,
          suppresses + other.suppresses,
          holds + other.holds);
    }
  }

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
          || (generation != 0 && window.generation != generation)) {
        window = new Window(active.sha256(), generation, health, now);
        windows.put(member.id(), window);
      }
      boolean down = !member.online();
      if (down && window.downSince == null) {
        window.downSince = now;
      } else if (!down && window.downSince != null) {
        window.down = window.down.plus(Duration.between(window.downSince, now));
        window.wentDown = window.downSince;
        window.upAgain = now;
        window.downSince = null;
      }
      if (!health.equals(window.last)) {
        if (wentBack(window, health)) {
          window.rebooted(health, now);
        }
        window.last = health;
        window.lastAt = now;
      }
    }
  }

  /**
   * The signals of {@code devices} over their windows on a model {@code model} accepts; a device
   * counts once its window has seen an inference, but its reboots count from the start: a device
   * that crashes before its first inference is the worst case.
   *
   * @param selfTestFailures how many of them failed the model's self-test
   */
  public CohortSignals signals(
      Collection<String> devices, Predicate<String> model, long selfTestFailures, Instant now) {
    return signals(devices, (sha, generation) -> model.test(sha), selfTestFailures, now);
  }

  /**
   * As above, on a model and config generation {@code unit} accepts.
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
    int mostReboots = 0;
    String mostRebooted = null;
    for (String device : devices) {
      Window window = windows.get(device);
      if (window == null || !unit.test(window.sha256, window.generation)) {
        continue;
      }
      if (window.reboots > mostReboots) {
        mostReboots = window.reboots;
        mostRebooted = device;
      }
      Delta counted = window.counted();
      if (counted.inferences() <= 0) {
        continue;
      }
      deltas.add(counted);
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
    long episodes = 0;
    long safeStates = 0;
    long suppresses = 0;
    long holds = 0;
    for (Delta delta : deltas) {
      double scale = delta.inferences() > cap ? cap / (double) delta.inferences() : 1.0;
      inferences += Math.min(delta.inferences(), cap);
      alarms += scaled(delta.alarms(), scale);
      fallbacks += scaled(delta.fallbacks(), scale);
      faults += scaled(delta.faults(), scale);
      episodes += scaled(delta.episodes(), scale);
      safeStates += scaled(delta.safeStates(), scale);
      suppresses += scaled(delta.suppresses(), scale);
      holds += scaled(delta.holds(), scale);
    }
    return new CohortSignals(
        deltas.size(),
        inferences,
        alarms,
        fallbacks,
        faults,
        latencies,
        selfTestFailures,
        downtime,
        episodes,
        safeStates,
        suppresses,
        holds,
        mostReboots,
        mostRebooted);
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
