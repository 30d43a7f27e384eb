package io.fieldproof.operator.rollout.gates;

import io.fieldproof.api.v1alpha1.GateRule;
import java.util.List;

/**
 * What a cohort of devices did over a gate's window: counter deltas summed over its members, the
 * members' inference latency p95s, self-test failures and downtime.
 *
 * @param devices members that reported over the window
 * @param inferences inferences run
 * @param alarms steps spent in alarm
 * @param fallbackActivations times the fallback (rules or hold-last) took over
 * @param sensorFaults readings rejected as faulty
 * @param latencyP95Ms each member's inference latency p95
 * @param selfTestFailures members whose self-test failed
 * @param downtimeSeconds seconds the members did not run a model, summed
 * @param alarmEpisodes alarms that started after a step without one; a device that does not count
 *     them contributes its steps in alarm (never fewer than its episodes)
 * @param safeStateActivations times a safe-state rule took over
 * @param suppressActivations times a suppress rule took over
 * @param holdLastActivations times hold-last took over
 * @param mostReboots the most times one member rebooted running the model
 * @param mostRebooted the member that rebooted most, null when none rebooted
 */
public record CohortSignals(
    int devices,
    long inferences,
    long alarms,
    long fallbackActivations,
    long sensorFaults,
    List<Double> latencyP95Ms,
    long selfTestFailures,
    double downtimeSeconds,
    long alarmEpisodes,
    long safeStateActivations,
    long suppressActivations,
    long holdLastActivations,
    int mostReboots,
    String mostRebooted) {

  public CohortSignals {
    latencyP95Ms = latencyP95Ms == null ? List.of() : List.copyOf(latencyP95Ms);
  }

  /**
   * A cohort whose devices count neither alarm episodes nor activations by action: each step in
   * alarm counts as an episode.
   */
  public CohortSignals(
      int devices,
      long inferences,
      long alarms,
      long fallbackActivations,
      long sensorFaults,
      List<Double> latencyP95Ms,
      long selfTestFailures,
      double downtimeSeconds) {
    this(
        devices,
        inferences,
        alarms,
        fallbackActivations,
        sensorFaults,
        latencyP95Ms,
        selfTestFailures,
        downtimeSeconds,
        alarms,
        0,
        0,
        0,
        0,
        null);
  }

  /** A cohort with alarm episodes and activations by action, none of whose members rebooted. */
  public CohortSignals(
      int devices,
      long inferences,
      long alarms,
      long fallbackActivations,
      long sensorFaults,
      List<Double> latencyP95Ms,
      long selfTestFailures,
      double downtimeSeconds,
      long alarmEpisodes,
      long safeStateActivations,
      long suppressActivations,
      long holdLastActivations) {
    this(
        devices,
        inferences,
        alarms,
        fallbackActivations,
        sensorFaults,
        latencyP95Ms,
        selfTestFailures,
        downtimeSeconds,
        alarmEpisodes,
        safeStateActivations,
        suppressActivations,
        holdLastActivations,
        0,
        null);
  }

  /** A cohort whose devices count neither alarm episodes nor activations by action. */
  public CohortSignals(
      int devices,
      long inferences,
      long alarms,
      long fallbackActivations,
      long sensorFaults,
      List<Double> latencyP95Ms,
      long selfTestFailures,
      double downtimeSeconds,
      int mostReboots,
      String mostRebooted) {
    this(
        devices,
        inferences,
        alarms,
        fallbackActivations,
        sensorFaults,
        latencyP95Ms,
        selfTestFailures,
        downtimeSeconds,
        alarms,
        0,
        0,
        0,
        mostReboots,
        mostRebooted);
  }

  /** A cohort without members. */
  public static CohortSignals empty() {
    return new CohortSignals(0, 0, 0, 0, 0, List.of(), 0, 0);
  }

  /**
   * The value of {@code metric}. Rates are per inference, with one pseudo-inference and no
   * pseudo-event, so a cohort that has not run yet has rate 0 rather than no rate: alarmRate counts
   * alarm episodes, alarmSampleRate steps spent in alarm. The latency is the nearest-rank 95th
   * percentile of the members' p95s; downtime is per member; reboots are the most of one member,
   * since a crash loop is one device's and must not average away.
   */
  public double value(GateRule.Metric metric) {
    return switch (metric) {
      case INFERENCE_LATENCY_P95_MS -> p95(latencyP95Ms);
      case SELF_TEST_FAILURES -> selfTestFailures;
      case DOWNTIME_SECONDS -> devices == 0 ? 0 : downtimeSeconds / devices;
      case REBOOTS -> mostReboots;
      case FALSE_ALARM_RATE -> 0;
      default -> rate(events(metric));
    };
  }

  /**
   * The value of {@code metric} as a baseline for ratio rules: rates count one event more, so a
   * baseline that saw no alarm over a thousand inferences still allows a few, rather than holding
   * the updated cohort to exactly zero.
   */
  public double baselineValue(GateRule.Metric metric) {
    long events = events(metric);
    return events < 0 ? value(metric) : rate(events + 1);
  }

  /** The event count behind a rate metric; -1 for the metrics that are not rates. */
  public long events(GateRule.Metric metric) {
    return switch (metric) {
      case ALARM_RATE -> alarmEpisodes;
      case ALARM_SAMPLE_RATE -> alarms;
      case FALLBACK_RATE -> fallbackActivations;
      case SAFE_STATE_RATE -> safeStateActivations;
      case SUPPRESS_RATE -> suppressActivations;
      case HOLD_LAST_RATE -> holdLastActivations;
      case SENSOR_FAULT_RATE -> sensorFaults;
      case INFERENCE_LATENCY_P95_MS,
          SELF_TEST_FAILURES,
          DOWNTIME_SECONDS,
          REBOOTS,
          FALSE_ALARM_RATE ->
          -1;
    };
  }

  private double rate(long events) {
    return events / (double) (inferences + 1);
  }

  private static double p95(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(0.95 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
