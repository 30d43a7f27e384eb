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
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The DeviceGroups and ModelRollouts of the namespaces the operator watches (every namespace, or
 * one informer per watched namespace in the namespaced RBAC mode), as read-only informers keep
 * them: what the fleet gauges and the fleet page read. The controllers keep their own caches;
 * nothing here writes to the API server.
 */
@Singleton
@Startup
public class ClusterState {

  private static final Logger LOG = Logger.getLogger(ClusterState.class);

  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final List<SharedIndexInformer<DeviceGroup>> groups;
  private final List<SharedIndexInformer<ModelRollout>> rollouts;

  @Inject
  public ClusterState(
      KubernetesClient client,
      @ConfigProperty(name = "quarkus.operator-sdk.namespaces") Optional<String> namespaces) {
    this(client, WatchedNamespaces.of(namespaces, client.getNamespace()));
  }

  ClusterState(KubernetesClient client, WatchedNamespaces watched) {
    LOG.infof(
        "the fleet page and gauges read %s",
        watched.all() ? "every namespace" : "the namespaces " + watched.names());
    groups = informers(client, DeviceGroup.class, watched);
    rollouts = informers(client, ModelRollout.class, watched);
  }

  private static <T extends HasMetadata> List<SharedIndexInformer<T>> informers(
      KubernetesClient client, Class<T> kind, WatchedNamespaces watched) {
    if (watched.all()) {
      return List.of(client.resources(kind).inAnyNamespace().runnableInformer(0));
    }
    return watched.names().stream()
        .map(ns -> client.resources(kind).inNamespace(ns).runnableInformer(0))
        .toList();
  }

  @PostConstruct
  void start() {
    groups.forEach(SharedIndexInformer::start);
    rollouts.forEach(SharedIndexInformer::start);
  }

  @PreDestroy
  void stop() {
    groups.forEach(SharedIndexInformer::stop);
    rollouts.forEach(SharedIndexInformer::stop);
  }

  /** Every group, by namespace and name. */
  public List<DeviceGroup> groups() {
    return sorted(all(groups));
  }

  public List<DeviceGroup> groups(String namespace) {
    return sorted(all(groups).filter(in(namespace)));
  }

  /** Every rollout, by namespace and name. */
  public List<ModelRollout> rollouts() {
    return sorted(all(rollouts));
  }

  public List<ModelRollout> rollouts(String namespace) {
    return sorted(all(rollouts).filter(in(namespace)));
  }

  /** The namespaces holding a group or a rollout. */
  public Set<String> namespaces() {
    Set<String> namespaces = new TreeSet<>();
    all(groups).forEach(g -> namespaces.add(g.getMetadata().getNamespace()));
    all(rollouts).forEach(r -> namespaces.add(r.getMetadata().getNamespace()));
    return namespaces;
  }

  /** Told of every rollout added, changed or deleted from now on. */
  public void onRolloutChange(ResourceEventHandler<ModelRollout> handler) {
    rollouts.forEach(informer -> informer.addEventHandler(handler));
  }

  private static <T> Stream<T> all(List<SharedIndexInformer<T>> informers) {
    return informers.stream().flatMap(informer -> informer.getStore().list().stream());
  }

  private static java.util.function.Predicate<HasMetadata> in(String namespace) {
    return r -> namespace.equals(r.getMetadata().getNamespace());
  }

  private static <T extends HasMetadata> List<T> sorted(Stream<T> resources) {
    return resources.sorted(BY_NAMESPACE_AND_NAME).toList();
  }
}
