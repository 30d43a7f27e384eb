package io.fieldproof.device.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * An emulated board's battery and link, as its STATS counters report them (docs/device-protocol.md
 * §4.3): {@code battery.percent} and {@code battery.mv} of a battery that drains or charges at a
 * set rate, and the link figure of its family, {@code link.rssiDbm} for an ESP32 on Wi-Fi, {@code
 * link.errorPermille} for an STM32 on a UART. Nothing is reported until a test or the emulator's
 * options set it: a board without them is mains powered, or firmware that predates them.
 * Thread-safe.
 */
public final class SimulatedVitals {

  /** The cell's voltage when empty (0 %) and full (100 %), a single Li-ion cell. */
  static final int EMPTY_MV = 3300;

  static final int FULL_MV = 4200;

  private final Chip.Family family;
  private final LongSupplier clock;
  private Double batteryPercent;
  private double percentPerMinute;
  private long batterySetAt;
  private Integer linkFigure;

  SimulatedVitals(Chip.Family family, LongSupplier clock) {
    this.family = family;
    this.clock = clock;
  }

  /**
   * The battery is at {@code percent} now and changes by {@code percentPerMinute} (negative:
   * draining, positive: charging), held within 0 to 100.
   */
  public synchronized void battery(double percent, double percentPerMinute) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("battery percent must be 0 to 100: " + percent);
    }
    this.batteryPercent = percent;
    this.percentPerMinute = percentPerMinute;
    this.batterySetAt = clock.getAsLong();
  }

  /** The battery at {@code percent}, holding its level. */
  public void battery(double percent) {
    battery(percent, 0);
  }

  /**
   * The link figure of the board's family: the Wi-Fi RSSI in dBm for an ESP32 (-100 to 0), the
   * frame error rate in per mille for an STM32 on a UART (0 to 1000).
   */
  public synchronized void link(int figure) {
    boolean wifi = family == Chip.Family.ESP32;
    if (wifi ? figure < -120 || figure > 0 : figure < 0 || figure > 1000) {
      throw new IllegalArgumentException(
          (wifi ? "RSSI must be -120 to 0 dBm: " : "frame error rate must be 0 to 1000 ‰: ")
              + figure);
    }
    this.linkFigure = figure;
  }

  /** The battery level now, or null when none is simulated. */
  public synchronized Double batteryPercent() {
    if (batteryPercent == null) {
      return null;
    }
    double minutes = (clock.getAsLong() - batterySetAt) / 60_000.0;
    return Math.max(0, Math.min(100, batteryPercent + percentPerMinute * minutes));
  }

  /** The counters STATS reports for them: none of a figure not simulated. */
  synchronized Map<String, Long> counters() {
    Map<String, Long> counters = new TreeMap<>();
    Double percent = batteryPercent();
    if (percent != null) {
      counters.put("battery.percent", (long) Math.floor(percent));
      counters.put("battery.mv", Math.round(EMPTY_MV + (FULL_MV - EMPTY_MV) * percent / 100));
    }
    if (linkFigure != null) {
      counters.put(
          family == Chip.Family.ESP32 ? "link.rssiDbm" : "link.errorPermille", (long) linkFigure);
    }
    return counters;
  }
}
