package io.fieldproof.device.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The STATS response: the device's health counters since boot.
 *
 * @param uptimeMs milliseconds since boot
 * @param configGeneration generation of the applied configuration, 0 when none
 * @param readings sensor readings taken (dropouts excluded)
 * @param telemetryFrames telemetry frames sent
 * @param framesDropped damaged frames the device received and dropped
 * @param counters further named counters, runtime specific
 */
public record Stats(
    long uptimeMs,
    long configGeneration,
    long readings,
    long telemetryFrames,
    long framesDropped,
    Map<String, Long> counters) {

  public Stats {
    counters = counters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(counters));
  }

  /** The counter named {@code name}, 0 when the device does not report it. */
  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }
}
