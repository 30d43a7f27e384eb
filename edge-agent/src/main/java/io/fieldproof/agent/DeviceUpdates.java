package io.fieldproof.agent;

import io.fieldproof.agent.update.ModelUpdater;
import io.fieldproof.agent.update.UpdateListener;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateReason;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.agent.update.UpdateTarget;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs the model updates of a gateway's devices on their own bounded pool, so a long update never
 * holds up another device's reports; how many run at once is the pool's size (a gateway's serial
 * lines and CPU are shared).
 */
final class DeviceUpdates {

  private final ModelUpdater updater;
  private final ExecutorService executor;
  private final Runnable afterEach;

  /**
   * @param afterEach runs after every update (the store's garbage collection)
   */
  DeviceUpdates(ModelUpdater updater, ExecutorService executor, Runnable afterEach) {
    this.updater = updater;
    this.executor = executor;
    this.afterEach = afterEach;
  }

  void start(
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
      executor.execute(run);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.accept(
          new UpdateResult(
              UpdatePhase.Failed, UpdateReason.FlashFailed, "the agent is stopping", 0, null));
    }
  }

  void close() {
    executor.shutdownNow();
  }
}
