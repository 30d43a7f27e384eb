package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator restarted over a fleet asks no device anything and writes a group's status only if it
 * changed: 2 000 devices of simulated gateways in two groups get their desired states from a first
 * operator, which is killed (SIGKILL). The counts it wrote for group-0 are cleared, those of
 * group-1 are left as it wrote them. A second operator rebuilds its index from the broker's
 * retained births, desired states and reports before it reconciles, so it publishes no desired
 * state, writes group-0's status exactly once, with every member counted (a reconcile over a
 * partial index would write short counts first), and group-1's not at all: nothing changed since
 * the first operator's last write. Both operators watch the test's namespace only: the API server's
 * write counter is cluster-wide, and groups other tests leave on the shared control plane are not
 * this test's.
 */
class OperatorRestartTest {

  private static final int DEVICES = 2_000;
  private static final int GROUPS = 2;

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void aRestartedOperatorRebuildsItsIndexBeforeItReconcilesAndWritesOnlyWhatChanged()
      throws Exception {
    String ns = plane.createNamespace("operator-restart");
    Path dir = RolloutFixtures.cleanDir(Path.of("target", "operator-restart").toAbsolutePath());
    List<String> jvm = List.of("-Xmx384m", "-Dquarkus.operator-sdk.namespaces=" + ns);
    try (MosquittoBroker broker = MosquittoBroker.start();
        DesiredWatch desired = DesiredWatch.subscribe(broker.uri(), ns);
        SimulatedGateways gateways =
            SimulatedGateways.connect(broker.uri(), ns, DEVICES, 250, GROUPS, 2)) {
      FleetGroups.apply(plane, ns, GROUPS);
      try (OperatorProcess first =
          OperatorProcess.start(
              plane.kubeconfig(), broker.uri(), dir.resolve("operator-1.log"), jvm)) {
        gateways.birthsAndReports().join();
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    FleetGroups.settled(client, ns, GROUPS, DEVICES / GROUPS)
                        && desired.published() >= DEVICES);
        first.kill();
      }
      Map<String, Double> beforeClearing = ApiServerCounters.read(plane);
      FleetGroups.clearCounts(client, ns, "group-0");
      // the counter may lag the response: start counting once the clearing write is in it
      Map<String, Double> apiBefore =
          ApiServerCounters.awaitStatusWrites(plane, beforeClearing, "devicegroups", 1);
      String untouched = group(ns, "group-1").getMetadata().getResourceVersion();
      long desiredBefore = desired.published();

      try (OperatorProcess second =
          OperatorProcess.start(
              plane.kubeconfig(), broker.uri(), dir.resolve("operator-2.log"), jvm)) {
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> FleetGroups.settled(client, ns, GROUPS, DEVICES / GROUPS));
        // two coalescing windows and a recheck later, nothing more is written or published
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        Map<String, Double> apiAfter = ApiServerCounters.read(plane);
        assertThat(desired.published() - desiredBefore)
            .as("desired states the restarted operator published")
            .isZero();
        assertThat(group(ns, "group-1").getMetadata().getResourceVersion())
            .as("group-1, whose status the first operator wrote last")
            .isEqualTo(untouched);
        assertThat(ApiServerCounters.statusWrites(apiBefore, apiAfter, "devicegroups"))
            .as(
                "group status writes of the restarted operator (group-0's counts were cleared,"
                    + " group-1 unchanged); requests %s:\n%s",
                ApiServerCounters.breakdown(apiBefore, apiAfter), second.log())
            .isEqualTo(1.0);
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  private DeviceGroup group(String ns, String name) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName(name).get();
  }
}
