package io.fieldproof.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The DeviceGroups and ModelRollouts of every namespace, as two read-only informers keep them: what
 * the fleet gauges and the fleet page read. The controllers keep their own caches; nothing here
 * writes to the API server.
 */
@Singleton
@Startup
public class ClusterState {

  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final SharedIndexInformer<DeviceGroup> groups;
  private final SharedIndexInformer<ModelRollout> rollouts;

  public ClusterState(KubernetesClient client) {
    groups = client.resources(DeviceGroup.class).inAnyNamespace().runnableInformer(0);
    rollouts = client.resources(ModelRollout.class).inAnyNamespace().runnableInformer(0);
  }

  @PostConstruct
  void start() {
    groups.start();
    rollouts.start();
  }

  @PreDestroy
  void stop() {
    groups.stop();
    rollouts.stop();
  }

  /** Every group, by namespace and name. */
  public List<DeviceGroup> groups() {
    return sorted(groups.getStore().list().stream());
  }

  public List<DeviceGroup> groups(String namespace) {
    return sorted(groups.getStore().list().stream().filter(in(namespace)));
  }

  /** Every rollout, by namespace and name. */
  public List<ModelRollout> rollouts() {
    return sorted(rollouts.getStore().list().stream());
  }

  public List<ModelRollout> rollouts(String namespace) {
    return sorted(rollouts.getStore().list().stream().filter(in(namespace)));
  }

  /** The namespaces holding a group or a rollout. */
  public Set<String> namespaces() {
    Set<String> namespaces = new TreeSet<>();
    groups.getStore().list().forEach(g -> namespaces.add(g.getMetadata().getNamespace()));
    rollouts.getStore().list().forEach(r -> namespaces.add(r.getMetadata().getNamespace()));
    return namespaces;
  }

  /** Told of every rollout added, changed or deleted from now on. */
  public void onRolloutChange(ResourceEventHandler<ModelRollout> handler) {
    rollouts.addEventHandler(handler);
  }

  private static java.util.function.Predicate<HasMetadata> in(String namespace) {
    return r -> namespace.equals(r.getMetadata().getNamespace());
  }

  private static <T extends HasMetadata> List<T> sorted(Stream<T> resources) {
    return resources.sorted(BY_NAMESPACE_AND_NAME).toList();
  }
}
