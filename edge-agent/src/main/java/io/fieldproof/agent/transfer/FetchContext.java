package io.fieldproof.agent.transfer;

import io.fieldproof.agent.DropCounter;
import io.fieldproof.agent.store.ContentStore;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every transfer of one fetcher shares: the session, the namespace of the model topics, the
 * store, the single thread all transfer state changes run on, the stall timeout and the counters.
 */
record FetchContext(
    MqttSession session,
    String namespace,
    ContentStore store,
    ScheduledExecutorService thread,
    Duration stallTimeout,
    FetchCounters counters,
    DropCounter drops) {

  /** Runs a task on the fetcher's thread; after the fetcher closed, the task is dropped. */
  void run(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException closed) {
      // the fetcher is closed: its transfers are over, late messages have nothing to update
    }
  }
}
