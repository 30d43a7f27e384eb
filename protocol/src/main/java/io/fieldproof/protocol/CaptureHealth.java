package io.fieldproof.protocol;

import java.util.List;
import java.util.Map;

/**
 * How a device's field-data capture fares (docs/field-data.md), as its agent last saw it: what the
 * device counts since its boot (its STATS counters {@code captures} and {@code capturesMissed}) and
 * what the agent did with the device's windows (uploaded, or dropped by reason), which an agent
 * with a capture store keeps across its restarts and one without counts since it started. Every
 * field is optional: null when not reported.
 *
 * @param captures windows the device froze since it booted, or null when it does not report it (its
 *     config does not capture, or older firmware)
 * @param capturesMissed triggers since boot that found the device's ring busy (armed too recently
 *     or still holding a frozen window), or null
 * @param windowsUploaded the device's windows the capture store acknowledged, or null from an agent
 *     that does not count them
 * @param windowsDropped the device's windows the agent dropped, by reason (the agent's drop labels:
 *     device_budget, group_budget, spool_full, too_large, invalid, write_failed, refused_by_store,
 *     no_store); only reasons with drops, at most {@link #MAX_DROP_REASONS}
 */
public record CaptureHealth(
    Long captures, Long capturesMissed, Long windowsUploaded, Map<String, Long> windowsDropped) {

  /** The most drop reasons a report may carry. */
  public static final int MAX_DROP_REASONS = 16;

  public CaptureHealth {
    windowsDropped = windowsDropped == null ? Map.of() : Map.copyOf(windowsDropped);
  }

  /** All windows the agent dropped, whatever the reason. */
  public long dropped() {
    return windowsDropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What is wrong with these counts, each naming its field under {@code prefix}. */
  List<String> problems(String prefix) {
    List<String> problems = new java.util.ArrayList<>();
    negative(problems, prefix + ".captures", captures);
    negative(problems, prefix + ".capturesMissed", capturesMissed);
    negative(problems, prefix + ".windowsUploaded", windowsUploaded);
    if (windowsDropped.size() > MAX_DROP_REASONS) {
      problems.add(
          prefix
              + ".windowsDropped holds "
              + windowsDropped.size()
              + " reasons, at most "
              + MAX_DROP_REASONS);
    }
    windowsDropped.forEach(
        (reason, count) -> negative(problems, prefix + ".windowsDropped." + reason, count));
    return problems;
  }

  private static void negative(List<String> problems, String field, Long value) {
    if (value != null && value < 0) {
      problems.add(field + " must not be negative");
    }
  }
}
