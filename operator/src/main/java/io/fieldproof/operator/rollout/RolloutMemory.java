package io.fieldproof.operator.rollout;

import io.fieldproof.operator.rollout.gates.SignalWindows;
import io.fieldproof.operator.rollout.progress.RetryBook;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator keeps in memory per rollout (by uid) between passes: the retry clocks and the
 * gates' signal windows. Everything else lives in status; losing this on a restart only restarts
 * clocks and windows.
 */
final class RolloutMemory {

  /** One rollout's memory. */
  record Entry(RetryBook retries, SignalWindows windows) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Entry of(String uid) {
    return entries.computeIfAbsent(uid, u -> new Entry(new RetryBook(), new SignalWindows()));
  }

  void forget(String uid) {
    entries.remove(uid);
  }
}
