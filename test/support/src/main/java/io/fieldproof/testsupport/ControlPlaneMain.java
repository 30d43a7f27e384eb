package io.fieldproof.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the local control plane on its own, for the demo and for trying things by hand: starts
 * kube-apiserver + etcd, every port on 127.0.0.1, installs the CRDs, writes a kubeconfig to the
 * path given as the first argument, and keeps running until it is stopped (SIGTERM or Ctrl-C).
 *
 * <p>Its objects live in the data directory ({@code --data-dir DIR}, by default {@code
 * controlplane/} beside the kubeconfig), which stopping keeps: started again on the same directory,
 * it serves every object written before, on the same ports when they are free. When etcd or
 * kube-apiserver dies, it stops the other, keeps the data, and exits with status 1.
 */
public final class ControlPlaneMain {

  private ControlPlaneMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path kubeconfig = null;
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        dataDir = Path.of(args[++i]);
      } else if (args[i].startsWith("--data-dir=")) {
        dataDir = Path.of(args[i].substring("--data-dir=".length()));
      } else if (kubeconfig == null && !args[i].startsWith("-")) {
        kubeconfig = Path.of(args[i]);
      } else {
        usage();
      }
    }
    if (kubeconfig == null) {
      usage();
    }
    kubeconfig = kubeconfig.toAbsolutePath();
    dataDir =
        (dataDir == null ? kubeconfig.resolveSibling("controlplane") : dataDir).toAbsolutePath();

    BlockingQueue<String> problems = new ArrayBlockingQueue<>(4);
    AtomicReference<LocalControlPlane> running = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LocalControlPlane plane = running.getAndSet(null);
                  if (plane != null) {
                    plane.stop();
                    System.out.println("[controlplane] stopped; data kept in " + plane.dataDir());
                  }
                },
                "stop-control-plane"));

    LocalControlPlane plane = LocalControlPlane.start(dataDir, problems::offer);
    running.set(plane);
    plane.installCrds();
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, plane.kubeconfigYaml());
    System.out.println(
        "[controlplane] kube-apiserver "
            + LocalControlPlane.K8S_VERSION
            + " ready, CRDs installed; kubeconfig: "
            + kubeconfig
            + "; data: "
            + dataDir
            + "; listening on 127.0.0.1 only");

    String problem = problems.take();
    System.err.println("[controlplane] " + problem);
    System.err.println(
        "[controlplane] stopping; the data stays in "
            + dataDir
            + ": start again with --data-dir "
            + dataDir);
    System.exit(1);
  }

  private static void usage() {
    System.err.println("usage: ControlPlaneMain KUBECONFIG_PATH [--data-dir DIR]");
    System.exit(2);
  }
}
