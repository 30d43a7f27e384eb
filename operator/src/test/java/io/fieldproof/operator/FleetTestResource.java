package io.fieldproof.operator;

import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.MosquittoBroker;
import java.util.Map;

/**
 * Points the operator under test at the real components: the local control plane (CRDs installed)
 * and a Mosquitto broker of its own.
 */
public class FleetTestResource
    implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

  private static MosquittoBroker broker;

  /** The broker of the running test JVM, for tests that start agents or publish themselves. */
  public static MosquittoBroker broker() {
    return broker;
  }

  @Override
  public Map<String, String> start() {
    LocalControlPlane plane = LocalControlPlane.shared();
    System.setProperty("kubeconfig", plane.kubeconfig().toString());
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    broker = MosquittoBroker.start();
    return Map.of(
        "fieldproof.mqtt.uri",
        broker.uri(),
        "fieldproof.mqtt.coalesce-window",
        "100ms",
        // the sample models are a few KiB: the smallest chunks make them travel in several
        "fieldproof.models.chunk-size",
        "1024");
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
    }
    System.clearProperty("kubeconfig");
  }
}
