package io.fieldproof.agent.transfer;

import io.fieldproof.agent.store.PartialModel;
import io.fieldproof.protocol.ChunkCheck;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Topic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model being fetched: from the store if it is there, else the manifest, then each chunk the
 * store lacks on its own topic, each verified and stored as it arrives, then the whole model
 * verified and moved into the store. Every state change runs on the fetcher's thread.
 */
final class Transfer {

  private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

  private final ModelRef ref;
  private final FetchContext context;
  private final Consumer<Transfer> onEnd;
  private final Topic manifestTopic;
  private final CompletableFuture<Path> result = new CompletableFuture<>();
  private final TreeSet<Integer> subscribed = new TreeSet<>();
  private TreeSet<Integer> held = new TreeSet<>();
  private ModelManifest manifest;
  private PartialModel partial;
  private ScheduledFuture<?> stall;
  private boolean manifestSubscribed;
  private volatile FetchProgress progress = FetchProgress.AWAITING_MANIFEST;

  Transfer(ModelRef ref, FetchContext context, Consumer<Transfer> onEnd) {
    this.ref = ref;
    this.context = context;
    this.onEnd = onEnd;
    this.manifestTopic = Topic.modelManifest(context.namespace(), ref.sha256());
  }

  String sha256() {
    return ref.sha256();
  }

  CompletableFuture<Path> result() {
    return result;
  }

  FetchProgress progress() {
    return progress;
  }

  void start() {
    context.run(this::begin);
  }

  /** Ends the transfer from outside, keeping what was stored. */
  void abandon(String why) {
    context.run(() -> fail(FetchFailure.ABANDONED, why));
  }

  private void begin() {
    try {
      Optional<Path> stored = context.store().find(ref.sha256());
      if (stored.isPresent()) {
        succeed(stored.get());
        return;
      }
      if (ref.size() > ModelManifest.MAX_MODEL_BYTES || ref.size() > context.store().byteBudget()) {
        fail(
            FetchFailure.TOO_LARGE,
            ref.size()
                + " bytes; the contract carries "
                + ModelManifest.MAX_MODEL_BYTES
                + " and the store holds "
                + context.store().byteBudget());
        return;
      }
      if (!context.store().fits(ref.sha256(), ref.size())) {
        fail(
            FetchFailure.STORE_FULL,
            ref.size() + " bytes do not fit beside the " + context.store().usedBytes() + " held");
        return;
      }
    } catch (IOException e) {
      fail(FetchFailure.STORE_IO, e.toString());
      return;
    }
    madeProgress();
    manifestSubscribed = true;
    context
        .session()
        .subscribe(
            manifestTopic.path(), (topic, payload) -> context.run(() -> onManifest(payload)));
  }

  private void onManifest(byte[] payload) {
    if (result.isDone()) {
      return;
    }
    if (payload.length == 0) {
      fail(FetchFailure.MODEL_RETRACTED, "the operator retracted the manifest");
      return;
    }
    ModelManifest next;
    try {
      next = MessageCodec.decodeManifest(manifestTopic, payload);
    } catch (InvalidMessageException e) {
      context.drops().dropped(manifestTopic.path(), e.reason(), e.getMessage());
      fail(FetchFailure.MANIFEST_INVALID, e.getMessage());
      return;
    }
    if (next.size() != ref.size()) {
      fail(
          FetchFailure.MANIFEST_INVALID,
          "the manifest says " + next.size() + " bytes, the wanted model has " + ref.size());
      return;
    }
    if (!next.equals(manifest)) {
      fetchChunks(next);
    }
  }

  /** Starts on a manifest, or starts over when the operator published a different cut. */
  private void fetchChunks(ModelManifest next) {
    unsubscribeChunks();
    manifest = next;
    partial = context.store().partial(ref.sha256());
    try {
      held = verifiedChunksOnDisk();
    } catch (IOException e) {
      fail(FetchFailure.STORE_IO, e.toString());
      return;
    }
    madeProgress();
    if (held.size() == manifest.chunks().size()) {
      assemble();
      return;
    }
    for (int i = 0; i < manifest.chunks().size(); i++) {
      if (!held.contains(i)) {
        subscribeChunk(i);
      }
    }
  }

  /** The chunks a previous run stored that still match the manifest; the others are deleted. */
  private TreeSet<Integer> verifiedChunksOnDisk() throws IOException {
    TreeSet<Integer> good = new TreeSet<>();
    for (int index : partial.held()) {
      if (ModelChunks.check(manifest, index, partial.read(index)) == ChunkCheck.VALID) {
        good.add(index);
      } else {
        partial.discard(index);
      }
    }
    return good;
  }

  private void subscribeChunk(int index) {
    Topic topic = Topic.modelChunk(context.namespace(), ref.sha256(), index);
    subscribed.add(index);
    context
        .session()
        .subscribe(topic.path(), (path, payload) -> context.run(() -> onChunk(index, payload)));
  }

  private void onChunk(int index, byte[] payload) {
    context.counters().chunkMessage();
    if (result.isDone() || manifest == null || held.contains(index) || payload.length == 0) {
      return;
    }
    ChunkCheck check = ModelChunks.check(manifest, index, payload);
    if (check != ChunkCheck.VALID) {
      context.counters().rejectedChunk();
      context
          .drops()
          .dropped(
              Topic.modelChunk(context.namespace(), ref.sha256(), index).path(),
              DropReason.DIGEST_MISMATCH,
              "chunk " + index + " of " + ref.sha256() + ": " + check);
      return;
    }
    try {
      partial.put(index, payload);
    } catch (IOException e) {
      fail(FetchFailure.STORE_IO, e.toString());
      return;
    }
    held.add(index);
    unsubscribeChunk(index);
    madeProgress();
    if (held.size() == manifest.chunks().size()) {
      assemble();
    }
  }

  private void assemble() {
    try {
      Optional<Path> file = context.store().assemble(manifest);
      if (file.isEmpty()) {
        fail(
            FetchFailure.DIGEST_MISMATCH,
            "every chunk matched the manifest but the model does not hash to " + ref.sha256());
        return;
      }
      succeed(file.get());
    } catch (IOException e) {
      fail(FetchFailure.STORE_IO, e.toString());
    }
  }

  /** Held chunks changed or the transfer just began: record it and restart the stall clock. */
  private void madeProgress() {
    progress =
        manifest == null
            ? FetchProgress.AWAITING_MANIFEST
            : new FetchProgress(held.size(), manifest.chunks().size());
    if (stall != null) {
      stall.cancel(false);
    }
    stall =
        context
            .thread()
            .schedule(this::stalled, context.stallTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stalled() {
    if (!result.isDone()) {
      fail(
          FetchFailure.DOWNLOAD_TIMEOUT,
          "nothing new for "
              + context.stallTimeout().toMillis()
              + " ms; "
              + progress.held()
              + " of "
              + progress.total()
              + " chunks held");
    }
  }

  private void succeed(Path file) {
    end();
    result.complete(file);
  }

  private void fail(FetchFailure failure, String message) {
    if (result.isDone()) {
      return;
    }
    end();
    LOG.info("fetch of model {} failed: {} {}", ref.sha256(), failure, message);
    result.completeExceptionally(new ModelFetchException(failure, message));
  }

  private void end() {
    if (stall != null) {
      stall.cancel(false);
    }
    if (manifestSubscribed) {
      manifestSubscribed = false;
      context.session().unsubscribe(manifestTopic.path());
    }
    unsubscribeChunks();
    onEnd.accept(this);
  }

  private void unsubscribeChunk(int index) {
    if (subscribed.remove(index)) {
      context
          .session()
          .unsubscribe(Topic.modelChunk(context.namespace(), ref.sha256(), index).path());
    }
  }

  private void unsubscribeChunks() {
    for (int index : new TreeSet<>(subscribed)) {
      unsubscribeChunk(index);
    }
  }
}
