package io.fieldproof.agent;

import io.fieldproof.protocol.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts the messages the agent dropped, by reason, and logs each source and reason once. */
public final class DropCounter {

  private static final Logger LOG = LoggerFactory.getLogger(DropCounter.class);
  private static final int MAX_REMEMBERED_SOURCES = 10_000;

  private final Map<DropReason, AtomicLong> counts = new EnumMap<>(DropReason.class);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public DropCounter() {
    for (DropReason reason : DropReason.values()) {
      counts.put(reason, new AtomicLong());
    }
  }

  public void dropped(String source, DropReason reason, String detail) {
    counts.get(reason).incrementAndGet();
    if (logged.size() < MAX_REMEMBERED_SOURCES && logged.add(source + "|" + reason)) {
      LOG.warn(
          "dropped a message from {}: {} (further drops from this source for this reason are only counted)",
          source,
          detail);
    }
  }

  public long count(DropReason reason) {
    return counts.get(reason).get();
  }
}
