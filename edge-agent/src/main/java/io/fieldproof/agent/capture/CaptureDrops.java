package io.fieldproof.agent.capture;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the captured windows the agent dropped, by reason, and logs the first drop of each device
 * and reason (later ones are only counted, so that a device over budget does not flood the log).
 */
public final class CaptureDrops {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureDrops.class);
  private static final int MAX_REMEMBERED_SOURCES = 10_000;

  private final Map<CaptureDropReason, AtomicLong> counts = new EnumMap<>(CaptureDropReason.class);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public CaptureDrops() {
    for (CaptureDropReason reason : CaptureDropReason.values()) {
      counts.put(reason, new AtomicLong());
    }
  }

  /** Counts one window of {@code device} dropped for {@code reason}. */
  public void dropped(String device, CaptureDropReason reason, String detail) {
    counts.get(reason).incrementAndGet();
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
