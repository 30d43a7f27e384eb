package io.fieldproof.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.testsupport.ProjectPaths;
import java.util.function.Consumer;

/**
 * The sample pump group (samples/esp32-vibration/devicegroup.yaml) as the end-to-end tests create
 * it: loaded from the sample file, adjusted by the test (a faster report, a power budget), created
 * in the test's namespace.
 */
final class SampleGroups {

  /** The sample group's name. */
  static final String PUMP_VIBRATION = "pump-vibration";

  private SampleGroups() {}

  /** The sample pump group as its file declares it, not yet created. */
  static DeviceGroup pumpVibration(KubernetesClient client) {
    return client
        .resources(DeviceGroup.class)
        .load(ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml").toFile())
        .item();
  }

  /** Creates the sample pump group in {@code ns} once {@code shape} has adjusted it. */
  static void createPumpVibration(KubernetesClient client, String ns, Consumer<DeviceGroup> shape) {
    DeviceGroup group = pumpVibration(client);
    shape.accept(group);
    client.resource(group).inNamespace(ns).create();
  }
}
