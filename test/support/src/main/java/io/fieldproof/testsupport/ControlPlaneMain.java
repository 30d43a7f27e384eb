package io.fieldproof.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local control plane on its own, for the demo and for trying things by hand: starts
 * kube-apiserver + etcd, installs the CRDs, writes a kubeconfig to the path given as the first
 * argument, and keeps running until it is stopped (SIGTERM or Ctrl-C).
 */
public final class ControlPlaneMain {

  private ControlPlaneMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: ControlPlaneMain KUBECONFIG_PATH");
      System.exit(2);
    }
    Path kubeconfig = Path.of(args[0]).toAbsolutePath();
    LocalControlPlane plane = LocalControlPlane.shared();
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, plane.kubeconfigYaml());
    System.out.println(
        "[controlplane] kube-apiserver "
            + LocalControlPlane.K8S_VERSION
            + " ready, CRDs installed; kubeconfig: "
            + kubeconfig);
    new CountDownLatch(1).await();
  }
}
