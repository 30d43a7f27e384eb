package io.fieldproof.operator.models;

import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelSpec;
import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Sha256;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Publishes every model a ModelRollout validated to the agents of its namespace, once per operator
 * run (retained manifest and chunks, QoS 1), and retracts a model as soon as no rollout of the
 * namespace holds it: deleted, changed to another model, or no longer valid. Retained messages make
 * the republication after a restart harmless, and what an earlier run left behind is found through
 * the broker's retained manifests.
 */
public final class ModelPublisher {

  private static final Logger LOG = Logger.getLogger(ModelPublisher.class);

  private final RetainedModels retained;
  private final BrokerManifests broker;
  private final ModelReferences references = new ModelReferences();
  private final Map<String, Map<String, ModelChunks.Split>> published = new HashMap<>();

  ModelPublisher(RetainedModels retained, BrokerManifests broker) {
    this.retained = retained;
    this.broker = broker;
  }

  /**
   * The rollout validated this model file: published unless this run already did; whatever the
   * rollout held before is retracted if no other rollout holds it.
   *
   * @param rollouts every ModelRollout of the rollout's namespace
   */
  public synchronized void hold(
      ModelRollout rollout, byte[] model, Collection<ModelRollout> rollouts) {
    String namespace = rollout.getMetadata().getNamespace();
    String sha256 = Sha256.hex(model);
    references.hold(rollout, sha256);
    if (!published(namespace).containsKey(sha256)) {
      publish(namespace, rollout.getSpec().model, model);
    }
    retractUnheld(namespace, rollouts);
  }

  /** The rollout holds no valid model now; what it held is retracted unless another holds it. */
  public synchronized void release(ModelRollout rollout, Collection<ModelRollout> rollouts) {
    references.release(rollout);
    retractUnheld(rollout.getMetadata().getNamespace(), rollouts);
  }

  /** The rollout is being deleted; what it held is retracted unless another holds it. */
  public synchronized void forget(ModelRollout rollout, Collection<ModelRollout> rollouts) {
    references.forget(rollout);
    retractUnheld(rollout.getMetadata().getNamespace(), rollouts);
  }

  private void publish(String namespace, ModelSpec spec, byte[] model) {
    ModelChunks.Split split = retained.cut(model, spec.name, spec.version);
    String sha256 = split.manifest().sha256();
    published(namespace).put(sha256, split);
    LOG.infof(
        "publishing model %s %s (%s, %d chunks of %d bytes) in %s",
        spec.name,
        spec.version,
        sha256,
        split.chunks().size(),
        split.manifest().chunkSize(),
        namespace);
    retained
        .publish(namespace, split, broker.manifest(namespace, sha256).orElse(null))
        .exceptionally(e -> unpublished(namespace, sha256, e));
  }

  /** Retracts every model this run published or the broker retains that no rollout holds. */
  private void retractUnheld(String namespace, Collection<ModelRollout> rollouts) {
    Set<String> held = references.heldIn(namespace, rollouts);
    Map<String, ModelManifest> candidates = new HashMap<>(broker.in(namespace));
    published(namespace).forEach((sha256, split) -> candidates.put(sha256, split.manifest()));
    candidates.forEach(
        (sha256, manifest) -> {
          if (!held.contains(sha256)) {
            retract(namespace, manifest);
          }
        });
  }

  private void retract(String namespace, ModelManifest manifest) {
    LOG.infof(
        "retracting model %s in %s: no ModelRollout of the namespace holds it",
        manifest.sha256(), namespace);
    published(namespace).remove(manifest.sha256());
    broker.forget(namespace, manifest.sha256());
    retained
        .retract(namespace, manifest)
        .exceptionally(
            e -> {
              LOG.warnf(
                  "could not retract model %s in %s: %s; tried again at the next reconcile",
                  manifest.sha256(), namespace, e.getMessage());
              broker.remember(namespace, manifest);
              return null;
            });
  }

  private synchronized Void unpublished(String namespace, String sha256, Throwable e) {
    LOG.warnf(
        "could not publish model %s in %s: %s; published again at the next reconcile",
        sha256, namespace, e.getMessage());
    published(namespace).remove(sha256);
    return null;
  }

  /**
   * The session came back and is about to read the broker's retained manifests again: what it knew
   * of them is dropped, so that {@link #refill} sees what the broker holds now.
   */
  public synchronized void brokerReconnecting() {
    broker.clear();
  }

  /**
   * Publishes again every model this run published that the broker no longer retains (a broker
   * restarted without its persistence file, or from an older one).
   *
   * @return how many models were published again
   */
  public synchronized int refill() {
    int sent = 0;
    for (var byNamespace : published.entrySet()) {
      String namespace = byNamespace.getKey();
      for (var model : Map.copyOf(byNamespace.getValue()).entrySet()) {
        if (broker.manifest(namespace, model.getKey()).isEmpty()) {
          LOG.infof(
              "the broker lost model %s in %s: publishing it again", model.getKey(), namespace);
          retained
              .publish(namespace, model.getValue(), null)
              .exceptionally(e -> unpublished(namespace, model.getKey(), e));
          sent++;
        }
      }
    }
    return sent;
  }

  private Map<String, ModelChunks.Split> published(String namespace) {
    return published.computeIfAbsent(namespace, ns -> new HashMap<>());
  }
}
