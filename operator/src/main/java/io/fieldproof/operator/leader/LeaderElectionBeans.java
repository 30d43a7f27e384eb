package io.fieldproof.operator.leader;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election over a coordination.k8s.io Lease (fieldproof.leader-election.*), so that several
 * replicas can run while one reconciles; the others keep their caches warm and take over when the
 * lease expires. Off unless enabled: the Helm chart enables it, the demo and the tests run a single
 * operator without it. The Quarkus Operator SDK asks for this bean in the prod profile only.
 *
 * <p>A replica that loses the lease stops, so that two never reconcile at once. It asks Quarkus to
 * exit rather than letting the SDK call System.exit: the SDK also calls its stop-leading callback
 * while the application shuts down, and System.exit there waits for the shutdown it is part of.
 */
@Singleton
public class LeaderElectionBeans {

  private final Runnable exit;

  public LeaderElectionBeans() {
    this(() -> Quarkus.asyncExit(1));
  }

  LeaderElectionBeans(Runnable exit) {
    this.exit = exit;
  }

  /**
   * The election the SDK runs, or null (allowed for a dependent bean) when it is disabled.
   *
   * @param leaseNamespace where the Lease lives; empty for the namespace of the client's config,
   *     which in a pod is the pod's own
   */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "fieldproof.leader-election.enabled", defaultValue = "false")
          boolean enabled,
      @ConfigProperty(
              name = "fieldproof.leader-election.lease-name",
              defaultValue = "fieldproof-operator")
          String leaseName,
      @ConfigProperty(name = "fieldproof.leader-election.lease-namespace")
          Optional<String> leaseNamespace,
      Leadership leadership) {
    if (!enabled) {
      return null;
    }
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(leaseNamespace.filter(ns -> !ns.isBlank()).orElse(null))
        .withLeaderCallbacks(new LeaderCallbacks(leadership::started, exit, leader -> {}))
        .build();
  }
}
