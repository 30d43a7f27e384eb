package io.fieldproof.agent;

import io.fieldproof.agent.capture.DeviceCaptureCounts;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.CaptureHealth;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.Vitals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates what a device says on its link into the MQTT contract's records. */
final class LinkMapping {

  /** Device counters whose name starts with this are sensor faults by kind. */
  static final String SENSOR_FAULT_PREFIX = "sensorFault.";

  /** Counters faultActive.INPUT:KIND are 1 while that input is in fault. */
  static final String FAULT_ACTIVE_PREFIX = "faultActive.";

  /** Counters drifting.INPUT are 1 while that input drifts. */
  static final String DRIFTING_PREFIX = "drifting.";

  /** Counters driftMilliSigma.INPUT are that input's drift magnitude, in milli-sigma. */
  static final String DRIFT_MAGNITUDE_PREFIX = "driftMilliSigma.";

  /** Counters fallbackActivations.ACTION count the fallback's activations by action. */
  static final String ACTIVATIONS_PREFIX = "fallbackActivations.";

  /** Counters fallbackAction.ACTION are 1 while the fallback decides with that action. */
  static final String ACTION_PREFIX = "fallbackAction.";

  /** Counter battery.percent: the battery level, 0 to 100. */
  static final String BATTERY_PERCENT = "battery.percent";

  /** Counter battery.mv: the battery voltage in millivolts. */
  static final String BATTERY_MILLIVOLTS = "battery.mv";

  /** Counter link.rssiDbm: the Wi-Fi RSSI in dBm (negative). */
  static final String LINK_RSSI = "link.rssiDbm";

  /** Counter link.errorPermille: damaged frames per thousand on the device's line. */
  static final String LINK_ERRORS = "link.errorPermille";

  /** Counter captures: windows the device froze since boot (while its config captures). */
  static final String CAPTURES = "captures";

  /** Counter capturesMissed: triggers since boot that found the device's ring busy. */
  static final String CAPTURES_MISSED = "capturesMissed";

  private LinkMapping() {}

  static Capabilities capabilities(Hello hello) {
    var c = hello.capabilities();
    return c == null
        ? new Capabilities(List.of(), 0, 0)
        : new Capabilities(c.operators(), c.arenaBytes(), c.slotBytes());
  }

  static Slots slots(Hello hello) {
    SlotTable table = hello.slots();
    return table == null
        ? new Slots(null, null, null)
        : new Slots(
            table.active(),
            model(table.a()),
            model(table.b()),
            table.activeState(),
            table.otherState());
  }

  /**
   * The reported health from the device's counters (docs/device-runtime.md): sensorFaults is the
   * number of inputs in fault right now (faultActive.INPUT:KIND), sensorFaultsByKind the cumulative
   * faults by kind (sensorFault.KIND), driftingInputs the inputs drifting now, driftSigma the drift
   * magnitude of each input the device measures (driftMilliSigma.INPUT / 1000), alarmEpisodes as
   * the device counts them (null when it does not), fallbackActivationsByAction from
   * fallbackActivations.ACTION and fallbackAction the ACTION of fallbackAction.ACTION; capture from
   * {@link #capture}.
   */
  static Health health(Stats stats) {
    return health(stats, null);
  }

  /** The reported health, with what the agent did with the device's captured windows. */
  static Health health(Stats stats, DeviceCaptureCounts agent) {
    Map<String, Long> counters = stats.counters() == null ? Map.of() : stats.counters();
    Map<String, Long> faults = new LinkedHashMap<>();
    List<String> drifting = new ArrayList<>();
    Map<String, Double> driftSigma = new LinkedHashMap<>();
    Map<String, Long> activations = new LinkedHashMap<>();
    String action = null;
    long activeFaults = 0;
    for (Map.Entry<String, Long> counter : counters.entrySet()) {
      String name = counter.getKey();
      if (name.startsWith(ACTIVATIONS_PREFIX)) {
        activations.put(name.substring(ACTIVATIONS_PREFIX.length()), counter.getValue());
      } else if (name.startsWith(ACTION_PREFIX) && counter.getValue() > 0) {
        action = name.substring(ACTION_PREFIX.length());
      } else if (name.startsWith(SENSOR_FAULT_PREFIX)) {
        faults.put(name.substring(SENSOR_FAULT_PREFIX.length()), counter.getValue());
      } else if (name.startsWith(FAULT_ACTIVE_PREFIX) && counter.getValue() > 0) {
        activeFaults++;
      } else if (name.startsWith(DRIFTING_PREFIX) && counter.getValue() > 0) {
        drifting.add(name.substring(DRIFTING_PREFIX.length()));
      } else if (name.startsWith(DRIFT_MAGNITUDE_PREFIX)) {
        driftSigma.put(
            name.substring(DRIFT_MAGNITUDE_PREFIX.length()), counter.getValue() / 1000.0);
      }
    }
    long latencyMicros = counters.getOrDefault("latencyP95Us", 0L);
    return new Health(
        stats.uptimeMs(),
        stats.readings(),
        stats.telemetryFrames(),
        counters.getOrDefault("inferences", 0L),
        counters.getOrDefault("alarms", 0L),
        counters.getOrDefault("fallbackActivations", 0L),
        counters.getOrDefault("fallbackActive", 0L) > 0,
        activeFaults,
        faults,
        drifting,
        latencyMicros > 0 ? latencyMicros / 1000.0 : null,
        driftSigma,
        counters.get("alarmEpisodes"),
        activations,
        action,
        vitals(counters),
        capture(counters, agent));
  }

  /**
   * The device's capture counters (captures, capturesMissed) with the agent's counts of its windows
   * uploaded and dropped by reason; null when the device reports no capture counter and the agent
   * counted nothing of it (a group that does not capture).
   */
  static CaptureHealth capture(Map<String, Long> counters, DeviceCaptureCounts agent) {
    Long captures = counters.get(CAPTURES);
    Long missed = counters.get(CAPTURES_MISSED);
    boolean agentCounted = agent != null && agent.any();
    if (captures == null && missed == null && !agentCounted) {
      return null;
    }
    return new CaptureHealth(
        captures,
        missed,
        agent == null ? null : agent.uploaded(),
        agent == null ? null : agent.dropped());
  }

  /**
   * Battery and link as the device's counters give them, with the link quality derived from its
   * RSSI or frame error rate ({@link Vitals#linkQuality}); null when it reports none of them.
   */
  static Vitals vitals(Map<String, Long> counters) {
    Integer rssi = integer(counters.get(LINK_RSSI));
    Integer errors = integer(counters.get(LINK_ERRORS));
    Vitals vitals =
        new Vitals(
            integer(counters.get(BATTERY_PERCENT)),
            integer(counters.get(BATTERY_MILLIVOLTS)),
            Vitals.linkQuality(rssi, errors),
            rssi,
            errors);
    return vitals.reported() ? vitals : null;
  }

  private static Integer integer(Long value) {
    return value == null
        ? null
        : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static ModelRef model(io.fieldproof.device.protocol.ModelRef ref) {
    return ref == null ? null : new ModelRef(ref.name(), ref.version(), ref.sha256(), ref.size());
  }
}
