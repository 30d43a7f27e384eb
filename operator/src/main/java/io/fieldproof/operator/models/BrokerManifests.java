package io.fieldproof.operator.models;

import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model manifests the broker retains, per namespace, as the operator's subscription to {@code
 * models/+/manifest} reads them: after a restart, this is how the operator finds models an earlier
 * run published that no rollout holds any more. Bad manifests are dropped and counted.
 */
final class BrokerManifests {

  private final Map<String, Map<String, ModelManifest>> byNamespace = new ConcurrentHashMap<>();
  private final InboundMetrics metrics;

  BrokerManifests(InboundMetrics metrics) {
    this.metrics = metrics;
  }

  void accept(String path, byte[] payload) {
    Optional<Topic> topic = Topic.parse(path).filter(t -> t.kind() == TopicKind.MODEL_MANIFEST);
    if (topic.isEmpty()) {
      metrics.dropped(path, DropReason.UNKNOWN_TOPIC, "not a model manifest topic");
      return;
    }
    metrics.received(TopicKind.MODEL_MANIFEST);
    String namespace = topic.get().namespace();
    if (payload.length == 0) {
      forget(namespace, topic.get().sha256());
      return;
    }
    try {
      remember(namespace, MessageCodec.decodeManifest(topic.get(), payload));
    } catch (InvalidMessageException e) {
      metrics.dropped(path, e.reason(), e.getMessage());
    }
  }

  /** The manifests retained in a namespace, by sha256. */
  Map<String, ModelManifest> in(String namespace) {
    return Map.copyOf(byNamespace.getOrDefault(namespace, Map.of()));
  }

  Optional<ModelManifest> manifest(String namespace, String sha256) {
    return Optional.ofNullable(byNamespace.getOrDefault(namespace, Map.of()).get(sha256));
  }

  void remember(String namespace, ModelManifest manifest) {
    byNamespace
        .computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>())
        .put(manifest.sha256(), manifest);
  }

  void clear() {
    byNamespace.clear();
  }

  void forget(String namespace, String sha256) {
    Map<String, ModelManifest> manifests = byNamespace.get(namespace);
    if (manifests != null) {
      manifests.remove(sha256);
    }
  }
}
