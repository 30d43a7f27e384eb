package io.fieldproof.agent;

import io.fieldproof.agent.update.ModelUpdater;
import io.fieldproof.agent.update.UpdateListener;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateReason;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.agent.update.UpdateTarget;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the model updates of a gateway's devices off their supervisors, so a long update (it holds
 * its device through the trial) never holds up another device's reports. Updates on distinct device
 * links run at once; updates on the same link (two configured devices behind one address) run one
 * after another, in order. The pool has one thread per distinct link, started when an update needs
 * it and ended after a minute idle, so a gateway of a hundred devices updates a hundred at once:
 * the rollout's {@code maxConcurrent} is what limits a fleet, not the gateway.
 */
final class DeviceUpdates {

  /** How long an update thread waits for the next update before it ends. */
  private static final long IDLE_SECONDS = 60;

  private final ModelUpdater updater;
  private final ExecutorService executor;
  private final Runnable afterEach;
  private final Map<String, SerialExecutor> lanes = new ConcurrentHashMap<>();

  /**
   * @param afterEach runs after every update (the store's garbage collection)
   */
  DeviceUpdates(ModelUpdater updater, ExecutorService executor, Runnable afterEach) {
    this.updater = updater;
    this.executor = executor;
    this.afterEach = afterEach;
  }

  /** A pool with one thread per distinct link of {@code links}, each started when needed. */
  static ExecutorService poolFor(Collection<String> links, ThreadFactory threads) {
    int size = Math.max(1, new HashSet<>(links).size());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size, size, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Starts the update of the device on {@code link}; it waits only for an update still running on
   * the same link.
   */
  void start(
      String link,
      UpdateTarget target,
      UpdateRequest request,
      UpdateListener listener,
      Consumer<UpdateResult> done) {
    Runnable run =
        () -> {
          UpdateResult result =
              new UpdateResult(
                  UpdatePhase.Failed, UpdateReason.FlashFailed, "the update crashed", 0, null);
          try {
            result = updater.update(target, request, listener);
          } catch (RuntimeException | Error e) {
            result =
                new UpdateResult(
                    UpdatePhase.Failed, UpdateReason.FlashFailed, String.valueOf(e), 0, null);
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
              throw error;
            }
          } finally {
            done.accept(result);
            afterEach.run();
          }
        };
    try {
      lanes.computeIfAbsent(link, l -> new SerialExecutor(executor)).execute(run);
    } catch (RejectedExecutionException e) {
      done.accept(
          new UpdateResult(
              UpdatePhase.Failed, UpdateReason.FlashFailed, "the agent is stopping", 0, null));
    }
  }

  void close() {
    executor.shutdownNow();
  }
}
