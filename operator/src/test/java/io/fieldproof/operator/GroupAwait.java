package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import java.time.Duration;

/** Waits, in the end-to-end tests, until the sample pump group's status counts its members. */
final class GroupAwait {

  private final KubernetesClient client;
  private final Duration atMost;

  /** Waits through {@code client} for at most {@code atMost} each time. */
  GroupAwait(KubernetesClient client, Duration atMost) {
    this.client = client;
    this.atMost = atMost;
  }

  /** Waits until the sample pump group of {@code ns} shows {@code count} members online. */
  void online(String ns, int count) {
    await()
        .atMost(atMost)
        .untilAsserted(
            () ->
                assertThat(group(ns))
                    .extracting(g -> g.getStatus() == null ? null : g.getStatus().devices)
                    .isNotNull()
                    .extracting(d -> d.online)
                    .isEqualTo(count));
  }

  private DeviceGroup group(String ns) {
    return client
        .resources(DeviceGroup.class)
        .inNamespace(ns)
        .withName(SampleGroups.PUMP_VIBRATION)
        .get();
  }
}
