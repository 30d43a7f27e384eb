package io.fieldproof.agent.capture;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the captured windows the agent dropped, by reason in all and by device and reason, and
 * logs the first drop of each device and reason (later ones are only counted, so that a device over
 * budget does not flood the log). The spool saves and takes back the per-device counts across
 * restarts ({@link CaptureCounts}, which also seeds the totals). At most {@value #MAX_DEVICES}
 * devices are counted one by one; drops of further devices count in the totals only.
 */
public final class CaptureDrops {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureDrops.class);
  private static final int MAX_REMEMBERED_SOURCES = 10_000;

  /** The most devices whose drops are counted one by one. */
  static final int MAX_DEVICES = 10_000;

  private final Map<CaptureDropReason, AtomicLong> counts = new EnumMap<>(CaptureDropReason.class);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<CaptureDropReason, Long>> byDevice = new ConcurrentHashMap<>();

  public CaptureDrops() {
    for (CaptureDropReason reason : CaptureDropReason.values()) {
      counts.put(reason, new AtomicLong());
    }
  }

  /** Counts one window of {@code device} dropped for {@code reason}. */
  public void dropped(String device, CaptureDropReason reason, String detail) {
    if (device == null) {
      droppedUnattributed("a window of no device", reason, detail);
      return;
    }
    counts.get(reason).incrementAndGet();
    if (byDevice.size() < MAX_DEVICES || byDevice.containsKey(device)) {
      byDevice.compute(
          device,
          (d, reasons) -> {
            Map<CaptureDropReason, Long> next =
                reasons == null ? new EnumMap<>(CaptureDropReason.class) : reasons;
            next.merge(reason, 1L, Long::sum);
            return next;
          });
    }
    log(device, reason, detail);
  }

  /**
   * Counts one window dropped for {@code reason} whose device is not known (a spool file a crash
   * cut short): in the totals only, logged under {@code source}.
   */
  public void droppedUnattributed(String source, CaptureDropReason reason, String detail) {
    counts.get(reason).incrementAndGet();
    log(source, reason, detail);
  }

  /**
   * Takes back the drops of {@code device} a previous run counted ({@code labels}: reason label to
   * count), into the totals too; unknown labels are left out.
   */
  public void seed(String device, Map<String, Long> labels) {
    if (device == null || labels == null || byDevice.size() >= MAX_DEVICES) {
      return;
    }
    Map<CaptureDropReason, Long> reasons = new EnumMap<>(CaptureDropReason.class);
    for (CaptureDropReason reason : CaptureDropReason.values()) {
      Long count = labels.get(reason.label());
      if (count != null && count > 0) {
        reasons.put(reason, count);
        counts.get(reason).addAndGet(count);
      }
    }
    if (!reasons.isEmpty()) {
      byDevice.put(device, reasons);
    }
  }

  /** Every device's drops by label, as {@link #ofDevice} gives them. */
  public Map<String, Map<String, Long>> perDevice() {
    Map<String, Map<String, Long>> all = new java.util.TreeMap<>();
    for (String device : byDevice.keySet()) {
      all.put(device, ofDevice(device));
    }
    return all;
  }

  /** The drops of {@code device} by label, only reasons with drops; empty when none. */
  public Map<String, Long> ofDevice(String device) {
    Map<String, Long> labels = new java.util.LinkedHashMap<>();
    byDevice.computeIfPresent(
        device,
        (d, reasons) -> {
          reasons.forEach((reason, count) -> labels.put(reason.label(), count));
          return reasons;
        });
    return labels;
  }

  private void log(String device, CaptureDropReason reason, String detail) {
    if (logged.size() < MAX_REMEMBERED_SOURCES && logged.add(device + "|" + reason)) {
      LOG.warn(
          "dropped a captured window of {} ({}): {} (further drops of this device for this reason"
              + " are only counted)",
          device,
          reason.label(),
          detail);
    } else {
      LOG.debug("dropped a captured window of {} ({}): {}", device, reason.label(), detail);
    }
  }

  public long count(CaptureDropReason reason) {
    return counts.get(reason).get();
  }

  /** All drops, whatever the reason. */
  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** The counts by label, every reason present. */
  public Map<String, Long> byLabel() {
    Map<String, Long> byLabel = new java.util.LinkedHashMap<>();
    counts.forEach((reason, count) -> byLabel.put(reason.label(), count.get()));
    return byLabel;
  }
}
