package io.fieldproof.system;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * DeviceGroups over {@link SimulatedGateways}' devices: {@code group-i} has the sample pump group's
 * spec and selects the devices labelled {@code g=i}; reports every 300 s, offline after 1 800 s, so
 * that no member goes silent while a large fleet is read in.
 */
final class FleetGroups {

  private FleetGroups() {}

  static void apply(LocalControlPlane plane, String ns, int groups) throws Exception {
    String sample =
        Files.readString(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml"));
    String selector = sample.substring(sample.indexOf("  selector:"), sample.indexOf("  inputs:"));
    for (int i = 0; i < groups; i++) {
      String yaml =
          sample
              .replace("name: pump-vibration", "name: group-" + i)
              .replace(selector, "  selector:\n    matchLabels:\n      g: \"" + i + "\"\n")
              .replace("reportIntervalSeconds: 30", "reportIntervalSeconds: 300")
              .replace("offlineAfterSeconds: 90", "offlineAfterSeconds: 1800");
      Path file = Files.createTempFile("fleet-group-", ".yaml");
      Files.writeString(file, yaml);
      plane.kubectl().run("apply", "--server-side", "-n", ns, "-f", file.toString());
      Files.delete(file);
    }
  }

  /**
   * Whether each of the {@code groups} groups' status, read from the API server, counts {@code
   * members} members, all online and running {@link SimulatedGateways#MODEL}.
   */
  static boolean settled(KubernetesClient client, String ns, int groups, int members) {
    List<DeviceGroup> all = client.resources(DeviceGroup.class).inNamespace(ns).list().getItems();
    return all.size() == groups && all.stream().allMatch(g -> settled(g.getStatus(), members));
  }

  /** Groups whose status shows counts other than the right ones (none shown is not wrong). */
  static List<String> wrongCounts(KubernetesClient client, String ns, int members) {
    return client.resources(DeviceGroup.class).inNamespace(ns).list().getItems().stream()
        .filter(g -> g.getStatus() != null && g.getStatus().devices != null)
        .filter(g -> !settled(g.getStatus(), members))
        .map(g -> g.getMetadata().getName() + " " + g.getStatus().devices.summary)
        .toList();
  }

  /**
   * Clears the counts and models a killed operator wrote, so that those seen afterwards are the
   * next operator's own.
   */
  static void clearCounts(KubernetesClient client, String ns) {
    for (DeviceGroup group :
        client.resources(DeviceGroup.class).inNamespace(ns).list().getItems()) {
      clearCounts(client, ns, group.getMetadata().getName());
    }
  }

  /** Clears the counts and models of the group {@code name} only. */
  static void clearCounts(KubernetesClient client, String ns, String name) {
    client
        .resources(DeviceGroup.class)
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            g -> {
              g.getStatus().devices = null;
              g.getStatus().models = null;
              return g;
            });
  }

  private static boolean settled(DeviceGroupStatus status, int members) {
    return status != null
        && status.devices != null
        && status.devices.total == members
        && status.devices.online == members
        && status.models != null
        && status.models.size() == 1
        && status.models.get(0).devices == members;
  }
}
