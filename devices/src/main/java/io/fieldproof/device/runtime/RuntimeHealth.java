package io.fieldproof.device.runtime;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The health counters a device reports: cumulative counts since boot, and what holds right now
 * (inputs in fault, inputs drifting, fallback active and its action). Alarms are counted twice:
 * steps spent in alarm (alarms) and alarm episodes (alarmEpisodes, steps in alarm after one that
 * was not). Latency is kept as the last 128 samples for the p95.
 */
public final class RuntimeHealth {

  private static final int LATENCY_SAMPLES = 128;

  private long steps;
  private long inferences;
  private long alarms;
  private long alarmEpisodes;
  private boolean inAlarm;
  private long fallbackActivations;
  private boolean fallbackActive;
  private final Map<String, Long> activationsByAction = new TreeMap<>();
  private String fallbackAction;
  private final Map<String, Long> rejected = new LinkedHashMap<>();
  private final TreeSet<String> faultedNow = new TreeSet<>();
  private final TreeSet<String> driftingNow = new TreeSet<>();
  private final Map<String, Long> driftMilliSigma = new LinkedHashMap<>();
  private final long[] latencyMicros = new long[LATENCY_SAMPLES];
  private int latencyCount;
  private long lastCycles;
  private long faultOnsets;
  private long driftOnsets;

  void step() {
    steps++;
  }

  void inference(long cycles, long micros) {
    latencyMicros[(int) (inferences % LATENCY_SAMPLES)] = micros;
    inferences++;
    lastCycles = cycles;
    latencyCount = Math.min(LATENCY_SAMPLES, latencyCount + 1);
  }

  /** One step's outcome: an alarm counts a step in alarm, and an episode when the last was not. */
  void outcome(boolean alarm) {
    if (alarm) {
      alarms++;
      if (!inAlarm) {
        alarmEpisodes++;
      }
    }
    inAlarm = alarm;
  }

  /**
   * Who decided this step: {@code action} is the fallback's action (alarm, suppress, safe-state,
   * hold-last) when a rule or hold-last decided, null when the model or nothing did. An activation
   * is a step decided by the fallback after one that was not (fallbackActivations), and per action
   * a step decided with that action after one that was not (fallbackActivations.ACTION).
   */
  void fallback(String action) {
    boolean active = action != null;
    if (active && !fallbackActive) {
      fallbackActivations++;
    }
    if (active && !action.equals(fallbackAction)) {
      activationsByAction.merge(action, 1L, Long::sum);
    }
    fallbackActive = active;
    fallbackAction = action;
  }

  void rejected(String input, ReadingVerdict verdict) {
    rejected.merge(verdict.rejectionKind(), 1L, Long::sum);
    if (verdict.faultKind() != null && faultedNow.add(input + ":" + verdict.faultKind())) {
      faultOnsets++;
    }
  }

  void clearFault(String input) {
    faultedNow.removeIf(f -> f.startsWith(input + ":"));
  }

  /** The drift state after a valid reading of a measured input (one with a reference). */
  void drifting(String input, boolean drifting, long milliSigma) {
    driftMilliSigma.put(input, milliSigma);
    if (drifting) {
      if (driftingNow.add(input)) {
        driftOnsets++;
      }
    } else {
      driftingNow.remove(input);
    }
  }

  /**
   * The counters as STATS reports them: inferences, alarms, fallbackActivations, fallbackActive
   * (0/1), latencyP95Us, inferenceCycles (of the last inference), rejected.KIND (cumulative),
   * sensorFault.KIND (cumulative, faults only), faultActive.INPUT:KIND = 1 and drifting.INPUT = 1
   * while they hold, driftMilliSigma.INPUT the drift magnitude of each input with a reference once
   * it had a valid reading; alarmEpisodes; fallbackActivations.ACTION (cumulative, once non-zero)
   * and fallbackAction.ACTION = 1 while the fallback decides with that action.
   */
  public Map<String, Long> counters() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("steps", steps);
    out.put("inferences", inferences);
    out.put("alarms", alarms);
    out.put("alarmEpisodes", alarmEpisodes);
    out.put("fallbackActivations", fallbackActivations);
    out.put("fallbackActive", fallbackActive ? 1L : 0L);
    activationsByAction.forEach((action, count) -> out.put("fallbackActivations." + action, count));
    if (fallbackAction != null) {
      out.put("fallbackAction." + fallbackAction, 1L);
    }
    out.put("latencyP95Us", latencyP95Micros());
    out.put("inferenceCycles", lastCycles);
    rejected.forEach((kind, count) -> out.put("rejected." + kind, count));
    rejected.forEach(
        (kind, count) -> {
          if (!"unstable".equals(kind)) {
            out.put("sensorFault." + kind, count);
          }
        });
    faultedNow.forEach(f -> out.put("faultActive." + f, 1L));
    driftingNow.forEach(d -> out.put("drifting." + d, 1L));
    driftMilliSigma.forEach((input, milli) -> out.put("driftMilliSigma." + input, milli));
    return out;
  }

  long alarmEpisodes() {
    return alarmEpisodes;
  }

  long fallbackActivations() {
    return fallbackActivations;
  }

  /** Faults that started (an input entering a fault kind it was not in); not reported. */
  long faultOnsets() {
    return faultOnsets;
  }

  /** Inputs that started drifting; not reported. */
  long driftOnsets() {
    return driftOnsets;
  }

  long latencyP95Micros() {
    if (latencyCount == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(latencyMicros, latencyCount);
    Arrays.sort(sorted);
    return sorted[Math.min(latencyCount - 1, (int) Math.ceil(0.95 * latencyCount) - 1)];
  }
}
