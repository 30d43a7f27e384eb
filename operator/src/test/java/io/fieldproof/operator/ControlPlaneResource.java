package io.fieldproof.operator;

import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the operator under test at the real local control plane, CRDs installed. */
public class ControlPlaneResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    LocalControlPlane plane = LocalControlPlane.shared();
    System.setProperty("kubeconfig", plane.kubeconfig().toString());
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    return Map.of();
  }

  @Override
  public void stop() {
    System.clearProperty("kubeconfig");
  }
}
