package io.fieldproof.operator.rollout;

import io.fieldproof.operator.rollout.gates.SignalWindows;
import io.fieldproof.operator.rollout.plan.CohortPlanner;
import io.fieldproof.operator.rollout.progress.RetryBook;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator keeps in memory per rollout (by uid) between passes: the retry clocks (of
 * updates and of switches back), the gates' signal windows and the members' ranks. Everything else
 * lives in status; losing this on a restart only restarts clocks and windows (the ranks are
 * computed again, the same).
 */
final class RolloutMemory {

  /**
   * One rollout's memory.
   *
   * @param retries the clocks of the devices' updates
   * @param returns the clocks of the devices' switches back, after a rollback
   * @param planner its cohort planner, which keeps the members' ranks from pass to pass
   */
  record Entry(
      RetryBook retries, RetryBook returns, SignalWindows windows, CohortPlanner planner) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * @param plannerKey the rollout's planner key ({@link RolloutEngine#key}), the same for a uid
   */
  Entry of(String uid, String plannerKey) {
    return entries.computeIfAbsent(
        uid,
        u ->
            new Entry(
                new RetryBook(),
                new RetryBook(),
                new SignalWindows(),
                new CohortPlanner(plannerKey)));
  }

  void forget(String uid) {
    entries.remove(uid);
  }
}
