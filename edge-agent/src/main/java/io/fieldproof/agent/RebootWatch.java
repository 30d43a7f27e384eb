package io.fieldproof.agent;

import io.fieldproof.device.protocol.Stats;
import java.util.Optional;

/**
 * Tells from a device's STATS whether it booted since the agent last looked: its uptime went back,
 * or its boot counter ({@value #BOOT_COUNTER}, where the firmware reports one) changed. A device
 * that boots may come back without the runtime configuration or the model the agent put on it, so
 * its supervisor then asks it again what it runs. Confined to the supervisor's serial executor.
 */
final class RebootWatch {

  /** The STATS counter of boots, if the firmware keeps one. */
  static final String BOOT_COUNTER = "resets";

  private Stats last;

  /**
   * How the device shows that it booted between the previous STATS and {@code stats}, if it did;
   * remembers {@code stats} for the next look.
   */
  Optional<String> booted(Stats stats) {
    Stats previous = last;
    last = stats;
    if (previous == null) {
      return Optional.empty();
    }
    if (stats.uptimeMs() < previous.uptimeMs()) {
      return Optional.of(
          "its uptime went back from " + previous.uptimeMs() + " to " + stats.uptimeMs() + " ms");
    }
    long before = previous.counter(BOOT_COUNTER);
    long now = stats.counter(BOOT_COUNTER);
    if (now != before) {
      return Optional.of("its boot counter went from " + before + " to " + now);
    }
    return Optional.empty();
  }

  /**
   * Forgets the last STATS, so the next one is a new start: after an update that reset the device
   * on purpose (the bootloader path).
   */
  void forget() {
    last = null;
  }
}
