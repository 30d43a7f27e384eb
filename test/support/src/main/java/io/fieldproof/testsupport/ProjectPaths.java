package io.fieldproof.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the project's files and the local control plane's binaries. */
public final class ProjectPaths {

  private ProjectPaths() {}

  /** The repository root: system property fieldproof.root, or the first folder up with crds/. */
  public static Path root() {
    String configured = System.getProperty("fieldproof.root");
    if (configured != null && Files.isDirectory(Path.of(configured, "crds"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("crds"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with crds/)");
    }
    return dir;
  }

  /** The folder holding k8s/VERSION-OS-ARCH/{kube-apiserver,etcd,kubectl}. */
  public static Path controlPlaneDir() {
    String configured = System.getProperty("fieldproof.k8s.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String env = System.getenv("FIELDPROOF_K8S_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env).getParent();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "fieldproof");
  }
}
