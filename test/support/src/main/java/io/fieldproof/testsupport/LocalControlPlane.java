package io.fieldproof.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real kube-apiserver + etcd, started once per JVM through kube-api-test in offline mode from the
 * binaries that {@code test/controlplane/build.sh} builds, with the project's CRDs installed.
 */
public final class LocalControlPlane {

  public static final String K8S_VERSION = "1.34.4";

  private static LocalControlPlane shared;

  private final KubeAPIServer server;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private LocalControlPlane(KubeAPIServer server, Path kubeconfig) {
    this.server = server;
    this.kubeconfig = kubeconfig;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
  }

  /** The JVM's control plane, started on first use and stopped when the JVM exits. */
  public static synchronized LocalControlPlane shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "stop-control-plane"));
      shared.installCrds();
    }
    return shared;
  }

  private static LocalControlPlane start() {
    Path dir = ProjectPaths.controlPlaneDir();
    Path binaries = dir.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException(
            "The local control plane is not built: "
                + binaries.resolve(binary)
                + " is missing. Run test/controlplane/build.sh (needs Go) and try again.");
      }
    }
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withTestDir(dir.toString())
                .withApiServerVersion(K8S_VERSION)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(60_000)
                .build());
    server.start();
    try {
      Path kubeconfig = Files.createTempFile("fieldproof-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, server.getKubeConfigYaml());
      kubeconfig.toFile().deleteOnExit();
      return new LocalControlPlane(server, kubeconfig);
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException(e);
    }
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
    return server.getKubeConfigYaml();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Kubectl kubectl() {
    return new Kubectl(
        ProjectPaths.controlPlaneDir()
            .resolve("k8s")
            .resolve(K8S_VERSION + "-linux-amd64")
            .resolve("kubectl"),
        kubeconfig);
  }

  private void stop() {
    client.close();
    server.stop();
  }
}
