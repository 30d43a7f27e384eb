package io.fieldproof.system;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The single real Kubernetes node of test/node (kubelet, containerd, kube-proxy, the control
 * plane), started by scripts/node-up.sh, with the project's images loaded by scripts/images.sh. It
 * needs root: in CI a node that cannot start fails the test; elsewhere, without root, the test is
 * skipped with the reason.
 */
final class RealNode {

  private static RealNode shared;

  private final Map<String, String> env;

  private RealNode(Map<String, String> env) {
    this.env = env;
  }

  /** The node, started (or found running) with the project's images loaded. */
  static synchronized RealNode up() {
    if (shared == null) {
      requireRoot();
      Path root = ProjectPaths.root();
      boolean running = answering(nodeDir().resolve("env"));
      run(List.of("bash", root.resolve("scripts/node-up.sh").toString()), Duration.ofMinutes(45));
      if (!running) {
        // a node this JVM started goes when it ends; one that was up before (a developer's) stays
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () ->
                        ProcessRun.of(
                            List.of("bash", root.resolve("scripts/node-down.sh").toString()),
                            Map.of(),
                            Duration.ofMinutes(3))));
      }
      run(
          List.of("bash", root.resolve("scripts/images.sh").toString(), "--no-build", "--load"),
          Duration.ofMinutes(20));
      shared = new RealNode(readEnv(nodeDir().resolve("env")));
    }
    return shared;
  }

  String ip() {
    return env.get("FIELDPROOF_NODE_IP");
  }

  Path kubeconfig() {
    return Path.of(env.get("KUBECONFIG"));
  }

  KubernetesClient client() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig())))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl against the node; fails the test unless it exits 0. */
  String kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(env.get("FIELDPROOF_K8S_BIN"), "kubectl").toString());
    command.addAll(List.of(args));
    return run(command, Map.of("KUBECONFIG", kubeconfig().toString()), Duration.ofMinutes(5));
  }

  /** Gives an image already in the node's containerd a second name, as a new release would. */
  void tagImage(String existing, String added) {
    run(
        List.of(
            "ctr",
            "--address",
            env.get("CONTAINERD_ADDRESS"),
            "--namespace",
            "k8s.io",
            "images",
            "tag",
            "--force",
            existing,
            added),
        Duration.ofMinutes(1));
  }

  /** Helm against the node. */
  Map<String, String> helmEnv() {
    return Map.of("KUBECONFIG", kubeconfig().toString());
  }

  /**
   * Whether a node is up and answering, as test/node/up.sh judges it: an env file left by a node
   * that died is not a developer's node, so the node this JVM starts over it still goes at its end.
   */
  private static boolean answering(Path envFile) {
    if (!Files.exists(envFile)) {
      return false;
    }
    Map<String, String> env = readEnv(envFile);
    String bin = env.get("FIELDPROOF_K8S_BIN");
    String node = env.get("FIELDPROOF_NODE_NAME");
    String kubeconfig = env.get("KUBECONFIG");
    if (bin == null || node == null || kubeconfig == null) {
      return false;
    }
    try {
      return ProcessRun.of(
                  List.of(
                      Path.of(bin, "kubectl").toString(),
                      "get",
                      "node",
                      node,
                      "--request-timeout=10s"),
                  Map.of("KUBECONFIG", kubeconfig),
                  Duration.ofSeconds(30))
              .exitCode()
          == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Path nodeDir() {
    String dir = System.getenv("FIELDPROOF_NODE_DIR");
    return Path.of(dir == null || dir.isBlank() ? "/tmp/fieldproof-node" : dir);
  }

  static void requireRoot() {
    String user = System.getProperty("user.name");
    if ("root".equals(user)) {
      return;
    }
    String message =
        "the real node needs root (it starts containerd and the kubelet); running as " + user;
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank()) {
      fail(message);
    }
    Assumptions.abort(message);
  }

  private static Map<String, String> readEnv(Path file) {
    Map<String, String> values = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("export ") && line.contains("=")) {
          String pair = line.substring("export ".length());
          int eq = pair.indexOf('=');
          values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the node wrote no " + file, e);
    }
    return values;
  }

  private static String run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }

  private static String run(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessRun result = ProcessRun.of(command, env, timeout);
    if (!result.ok()) {
      fail(String.join(" ", command) + " failed: " + result.describe());
    }
    return result.stdout();
  }
}
