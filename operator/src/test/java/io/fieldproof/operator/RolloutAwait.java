package io.fieldproof.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.ModelRollout;
import java.time.Duration;
import java.util.function.Consumer;

/** Waits, in the end-to-end tests, until a ModelRollout's status passes a test's check. */
final class RolloutAwait {

  private final KubernetesClient client;
  private final Duration atMost;

  /** Waits through {@code client} for at most {@code atMost} each time. */
  RolloutAwait(KubernetesClient client, Duration atMost) {
    this.client = client;
    this.atMost = atMost;
  }

  /**
   * Polls rollout {@code name} every 500 ms until it has a status and {@code check} passes on it
   * (an assertion error or a null met in the status means "not yet"), and returns the rollout it
   * passed on.
   */
  ModelRollout until(String ns, String name, Consumer<ModelRollout> check) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> client.resources(ModelRollout.class).inNamespace(ns).withName(name).get(),
            rollout -> {
              if (rollout == null || rollout.getStatus() == null) {
                return false;
              }
              try {
                check.accept(rollout);
                return true;
              } catch (AssertionError | NullPointerException e) {
                return false;
              }
            });
  }
}
