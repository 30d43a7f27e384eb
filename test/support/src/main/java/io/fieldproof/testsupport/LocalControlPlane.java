package io.fieldproof.testsupport;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real kube-apiserver + etcd from the binaries that {@code test/controlplane/build.sh} builds,
 * every port bound to 127.0.0.1 ({@link ControlPlaneProcesses}), with the project's CRDs installed.
 * Tests share one per JVM on a throw-away data directory ({@link #shared()}); {@link
 * ControlPlaneMain} runs one on a data directory that survives stops and restarts ({@link
 * #start(Path, Consumer)}).
 */
public final class LocalControlPlane {

  public static final String K8S_VERSION = "1.34.4";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private static LocalControlPlane shared;

  private final ControlPlaneProcesses processes;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private LocalControlPlane(ControlPlaneProcesses processes, Path kubeconfig) {
    this.processes = processes;
    this.kubeconfig = kubeconfig;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(processes.kubeconfigYaml()))
            .build();
  }

  /**
   * The JVM's control plane, on a temporary data directory: started on first use, stopped and its
   * data deleted when the JVM exits.
   */
  public static synchronized LocalControlPlane shared() {
    if (shared == null) {
      Path dataDir;
      try {
        dataDir = Files.createTempDirectory("fieldproof-controlplane");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalControlPlane plane =
          start(
              dataDir,
              problem ->
                  System.err.println("[controlplane] " + problem + "; the tests that follow fail"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    plane.stop();
                    deleteRecursively(dataDir);
                  },
                  "stop-control-plane"));
      plane.installCrds();
      shared = plane;
    }
    return shared;
  }

  /**
   * Starts kube-apiserver + etcd on {@code dataDir} (made when missing; a directory of an earlier
   * run keeps its objects) and waits until the API server serves. The caller stops it.
   *
   * @param onUnexpectedExit told when etcd or kube-apiserver exits while not being stopped
   */
  public static LocalControlPlane start(Path dataDir, Consumer<String> onUnexpectedExit) {
    Path binaries =
        ProjectPaths.controlPlaneDir().resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException(
            "The local control plane is not built: "
                + binaries.resolve(binary)
                + " is missing. Run test/controlplane/build.sh (needs Go) and try again.");
      }
    }
    ControlPlaneProcesses processes = new ControlPlaneProcesses(binaries, dataDir, STARTUP_TIMEOUT);
    processes.start(onUnexpectedExit);
    LocalControlPlane plane = null;
    try {
      Path kubeconfig = processes.dataDir().resolve("kubeconfig.yaml");
      Files.writeString(kubeconfig, processes.kubeconfigYaml());
      plane = new LocalControlPlane(processes, kubeconfig);
      plane.awaitServing();
      return plane;
    } catch (IOException e) {
      processes.stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (plane != null) {
        plane.client.close();
      }
      processes.stop();
      throw e;
    }
  }

  /** Waits until the API server answers with the default namespace (made by its own startup). */
  private void awaitServing() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (processes.apiServerProcess().map(p -> !p.isAlive()).orElse(true)) {
        throw new IllegalStateException(
            "kube-apiserver exited during startup; its log: "
                + processes.dataDir().resolve("logs/kube-apiserver.log"));
      }
      try {
        if (client.namespaces().withName("default").get() != null) {
          return;
        }
      } catch (RuntimeException notYet) {
        last = notYet;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kube-apiserver", e);
      }
    }
    throw new IllegalStateException(
        "kube-apiserver did not serve within "
            + STARTUP_TIMEOUT
            + "; its log: "
            + processes.dataDir().resolve("logs/kube-apiserver.log"),
        last);
  }

  /** Applies every CRD under crds/ and waits until the API server serves them. */
  public void installCrds() {
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve("crds"))) {
      for (Path crd : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.load(in).serverSideApply();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Kubectl kubectl = kubectl();
    kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all");
  }

  /** Creates a namespace of that name, so each test can work in its own. */
  public String createNamespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  public KubernetesClient client() {
    return client;
  }

  public String kubeconfigYaml() {
    return processes.kubeconfigYaml();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The directory holding etcd's data, the certificates and the processes' logs. */
  public Path dataDir() {
    return processes.dataDir();
  }

  public Optional<ProcessHandle> apiServerProcess() {
    return processes.apiServerProcess();
  }

  public Optional<ProcessHandle> etcdProcess() {
    return processes.etcdProcess();
  }

  public Kubectl kubectl() {
    return new Kubectl(
        ProjectPaths.controlPlaneDir()
            .resolve("k8s")
            .resolve(K8S_VERSION + "-linux-amd64")
            .resolve("kubectl"),
        kubeconfig);
  }

  /** Stops kube-apiserver, then etcd; the data directory stays as it is. */
  public void stop() {
    client.close();
    processes.stop();
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("[controlplane] could not delete " + dir + ": " + e.getMessage());
    }
  }
}
