package io.fieldproof.agent.transfer;

import io.fieldproof.agent.DropCounter;
import io.fieldproof.agent.store.ContentStore;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fetches models the operator publishes on {@code fieldproof/v1/{ns}/models/{sha256}/...} into the
 * agent's content store: serves a model from the store when it is there, otherwise transfers the
 * chunks the store lacks and completes with the verified file. Concurrent fetches of the same model
 * share one transfer. A failure completes the future with a {@link ModelFetchException}.
 */
public final class ModelFetcher implements AutoCloseable {

  /** How long a transfer may go without a new good chunk unless told otherwise. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(2);

  private final FetchContext context;
  private final Map<String, Transfer> transfers = new HashMap<>();

  /**
   * A fetcher on an already started session.
   *
   * @param stallTimeout how long a transfer may go without the manifest or a new good chunk
   */
  public ModelFetcher(
      MqttSession session,
      String namespace,
      ContentStore store,
      DropCounter drops,
      Duration stallTimeout) {
    ScheduledThreadPoolExecutor thread =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread t = new Thread(runnable, "model-fetcher-" + namespace);
              t.setDaemon(true);
              return t;
            });
    thread.setRemoveOnCancelPolicy(true);
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.context =
        new FetchContext(
            session, namespace, store, thread, stallTimeout, new FetchCounters(), drops);
  }

  /**
   * The verified file of the model, from the store or fetched into it. Never throws: a bad ref or
   * any failure completes the future exceptionally with a {@link ModelFetchException}.
   */
  public CompletableFuture<Path> fetch(ModelRef ref) {
    if (ref == null || !Sha256.isHex(ref.sha256()) || ref.size() < 1) {
      return CompletableFuture.failedFuture(
          new ModelFetchException(
              FetchFailure.MANIFEST_INVALID, "the wanted model needs a sha256 and a size: " + ref));
    }
    synchronized (transfers) {
      Transfer transfer = transfers.get(ref.sha256());
      if (transfer == null) {
        Transfer created = new Transfer(ref, context, this::ended);
        transfers.put(ref.sha256(), created);
        created.start();
        transfer = created;
      }
      return transfer.result().copy();
    }
  }

  /** How far the transfer of a model has come; empty when none is running. */
  public Optional<FetchProgress> progress(String sha256) {
    synchronized (transfers) {
      return Optional.ofNullable(transfers.get(sha256)).map(Transfer::progress);
    }
  }

  /** Chunk messages received by every transfer so far, good or bad. */
  public long chunkMessages() {
    return context.counters().chunkMessages();
  }

  /** Chunk messages that did not match their manifest and were dropped. */
  public long rejectedChunks() {
    return context.counters().rejectedChunks();
  }

  /**
   * Abandons every running transfer (their futures fail with {@link FetchFailure#ABANDONED}; the
   * chunks stored so far stay for the next fetch) and stops the fetcher's thread. The session is
   * the caller's.
   */
  @Override
  public void close() {
    List<Transfer> running;
    synchronized (transfers) {
      running = new ArrayList<>(transfers.values());
    }
    running.forEach(t -> t.abandon("the fetcher closed"));
    context.thread().shutdown();
    try {
      context.thread().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ended(Transfer transfer) {
    synchronized (transfers) {
      transfers.remove(transfer.sha256(), transfer);
    }
  }
}
