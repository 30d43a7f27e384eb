package io.fieldproof.device.runtime;

import io.fieldproof.protocol.RuntimeConfig;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which configured trigger fired on a step, checked in the order alarm, fallback, sensorFault,
 * drift, then sample: on average one step in {@code sampleOneIn}, drawn with xorshift32 (seeded
 * with the FNV-1a hash of the device id) as the C firmware's fp_capture draws it.
 */
final class CaptureTriggers {

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private final Set<String> enabled;
  private final long sampleOneIn;
  private int random = FNV_OFFSET;

  CaptureTriggers(RuntimeConfig.Capture config) {
    this.enabled = Set.copyOf(config.triggers());
    this.sampleOneIn = Math.max(0, config.sampleOneIn());
  }

  void seed(String deviceId) {
    int hash = FNV_OFFSET;
    for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
    }
    random = hash == 0 ? 1 : hash;
  }

  /** The trigger that fired this step, null when none did. */
  String fired(
      boolean alarmEpisode, boolean fallbackActivation, boolean faultOnset, boolean drift) {
    boolean sampled = sampleOneIn > 0 && draw() % sampleOneIn == 0;
    if (alarmEpisode && enabled.contains("alarm")) {
      return "alarm";
    }
    if (fallbackActivation && enabled.contains("fallback")) {
      return "fallback";
    }
    if (faultOnset && enabled.contains("sensorFault")) {
      return "sensorFault";
    }
    if (drift && enabled.contains("drift")) {
      return "drift";
    }
    return sampled ? "sample" : null;
  }

  /** The next xorshift32 value, unsigned. */
  private long draw() {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return random & 0xFFFF_FFFFL;
  }
}
