package io.fieldproof.device.emulator;

import java.util.Map;
import java.util.TreeMap;

/** The named counters an emulated runtime reports in STATS; guarded by its owner's lock. */
final class RuntimeCounters {

  static final String REQUESTS = "requests";
  static final String ERROR_RESPONSES = "errorResponses";
  static final String CONFIGS_APPLIED = "configsApplied";
  static final String CONFIGS_REJECTED = "configsRejected";
  static final String SENSOR_DROPOUTS = "sensorFault.dropout";
  static final String UNEXPECTED_FRAMES = "unexpectedFrames";

  private final Map<String, Long> counts = new TreeMap<>();

  RuntimeCounters() {
    for (String name :
        new String[] {
          REQUESTS,
          ERROR_RESPONSES,
          CONFIGS_APPLIED,
          CONFIGS_REJECTED,
          SENSOR_DROPOUTS,
          UNEXPECTED_FRAMES
        }) {
      counts.put(name, 0L);
    }
  }

  void increment(String name) {
    add(name, 1);
  }

  void add(String name, long amount) {
    counts.merge(name, amount, Long::sum);
  }

  long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  Map<String, Long> snapshot() {
    return new TreeMap<>(counts);
  }
}
