package io.fieldproof.operator.models;

import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a model's retained messages: its chunks, then its manifest, so a manifest an agent sees
 * always has its chunks behind it; and clears them, the manifest first, so no agent starts on a
 * model whose chunks are going away.
 */
final class RetainedModels {

  private final MqttSession session;
  private final ModelTransferMetrics metrics;
  private final int chunkSize;

  RetainedModels(MqttSession session, ModelTransferMetrics metrics, int chunkSize) {
    if (chunkSize < ModelManifest.MIN_CHUNK_SIZE || chunkSize > ModelManifest.MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "fieldproof.models.chunk-size must be between "
              + ModelManifest.MIN_CHUNK_SIZE
              + " and "
              + ModelManifest.MAX_CHUNK_SIZE
              + ", not "
              + chunkSize);
    }
    this.session = session;
    this.metrics = metrics;
    this.chunkSize = chunkSize;
  }

  /** Cuts a model at the configured chunk size, or larger when it would make too many chunks. */
  ModelChunks.Split cut(byte[] model, String name, String version) {
    int fewEnough =
        (int) ((model.length + ModelManifest.MAX_CHUNKS - 1L) / ModelManifest.MAX_CHUNKS);
    return ModelChunks.split(model, Math.max(chunkSize, fewEnough), name, version);
  }

  /**
   * Publishes the chunks, then the manifest; clears the chunks a previous cut of the same model had
   * beyond this one's. Completes when the broker acknowledged them all.
   */
  CompletableFuture<Void> publish(String namespace, ModelChunks.Split split, ModelManifest before) {
    String sha = split.manifest().sha256();
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 0; i < split.chunks().size(); i++) {
      sent.add(
          session
              .publish(Topic.modelChunk(namespace, sha, i).path(), split.chunks().get(i), true)
              .thenRun(metrics::chunkPublished));
    }
    sent.add(
        session.publish(
            Topic.modelManifest(namespace, sha).path(),
            MessageCodec.encode(split.manifest()),
            true));
    int previousChunks = before == null ? 0 : before.chunks().size();
    for (int i = split.chunks().size(); i < previousChunks; i++) {
      sent.add(session.clearRetained(Topic.modelChunk(namespace, sha, i).path()));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  /** Clears the manifest, then every chunk. Completes when the broker acknowledged them all. */
  CompletableFuture<Void> retract(String namespace, ModelManifest manifest) {
    String sha = manifest.sha256();
    List<CompletableFuture<Void>> cleared = new ArrayList<>();
    cleared.add(session.clearRetained(Topic.modelManifest(namespace, sha).path()));
    for (int i = 0; i < manifest.chunks().size(); i++) {
      cleared.add(session.clearRetained(Topic.modelChunk(namespace, sha, i).path()));
    }
    return CompletableFuture.allOf(cleared.toArray(CompletableFuture[]::new))
        .thenRun(metrics::modelRetracted);
  }
}
