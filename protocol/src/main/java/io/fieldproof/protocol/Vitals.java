package io.fieldproof.protocol;

/**
 * What a device reports of its power and its link, as its agent last read them (the device's STATS
 * counters {@code battery.percent}, {@code battery.mv}, {@code link.rssiDbm} and {@code
 * link.errorPermille}, docs/device-protocol.md §4.3). Every field is optional: a mains-powered
 * device reports no battery, a device on a UART no RSSI, and older firmware none of them.
 *
 * @param batteryPercent battery level, 0 to 100, or null
 * @param batteryMillivolts battery voltage in millivolts, or null
 * @param linkQuality the link's quality, 0 to 100, as the agent derives it from the figure the
 *     device reports ({@link #linkQuality(Integer, Integer)}), or null
 * @param rssiDbm Wi-Fi received signal strength in dBm (an ESP32), or null
 * @param linkErrorPermille frames damaged per thousand on the device's line (a device on a UART),
 *     or null
 */
public record Vitals(
    Integer batteryPercent,
    Integer batteryMillivolts,
    Integer linkQuality,
    Integer rssiDbm,
    Integer linkErrorPermille) {

  /** RSSI at and below which the link quality is 0. */
  public static final int RSSI_FLOOR_DBM = -100;

  /** RSSI at and above which the link quality is 100. */
  public static final int RSSI_CEILING_DBM = -50;

  /**
   * The link quality of a device: from its RSSI, linear from -100 dBm (0) to -50 dBm (100); else
   * from its frame error rate, 100 less the rate in percent; null when it reports neither. When
   * both are reported, the lower of the two.
   */
  public static Integer linkQuality(Integer rssiDbm, Integer linkErrorPermille) {
    Integer fromRssi =
        rssiDbm == null
            ? null
            : clamp((rssiDbm - RSSI_FLOOR_DBM) * 100 / (RSSI_CEILING_DBM - RSSI_FLOOR_DBM));
    Integer fromErrors = linkErrorPermille == null ? null : clamp(100 - linkErrorPermille / 10);
    if (fromRssi == null) {
      return fromErrors;
    }
    return fromErrors == null ? fromRssi : Math.min(fromRssi, fromErrors);
  }

  /** Whether the device reported anything at all. */
  public boolean reported() {
    return batteryPercent != null
        || batteryMillivolts != null
        || rssiDbm != null
        || linkErrorPermille != null;
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(100, value));
  }
}
