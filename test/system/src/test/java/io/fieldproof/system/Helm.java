package io.fieldproof.system;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The helm binary that {@code test/helm/setup-helm.sh} installs (FIELDPROOF_HELM overrides its
 * path). Missing, it fails the test when CI is set and skips it elsewhere, naming the script.
 */
final class Helm {

  private final Path binary;
  private final Map<String, String> env;

  private Helm(Path binary, Map<String, String> env) {
    this.binary = binary;
    this.env = env;
  }

  /** The same helm, run with these environment variables (KUBECONFIG for a cluster). */
  Helm withEnv(Map<String, String> added) {
    return new Helm(binary, Map.copyOf(added));
  }

  /** The outcome of one helm invocation. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** The installed helm, or the test ends here (failed in CI, skipped elsewhere). */
  static Helm installed() {
    String configured = System.getenv("FIELDPROOF_HELM");
    Path binary =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "fieldproof", "bin", "helm");
    if (!Files.isExecutable(binary)) {
      String message =
          "helm is missing ("
              + binary
              + "): run test/helm/setup-helm.sh (scripts/test.sh and .ci/install.sh do it)";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank()) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return new Helm(binary, Map.of());
  }

  /** Runs helm and returns its output; fails the test unless it exits 0. */
  String run(String... args) {
    Result result = exec(args);
    if (!result.ok()) {
      fail("helm " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result);
    }
    return result.stdout();
  }

  /** Runs helm and returns exit code and output, whatever the exit code. */
  Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      Path stderr = Files.createTempFile("helm", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("helm " + String.join(" ", args) + " did not finish within 600 s");
        }
        return new Result(
            process.exitValue(),
            new String(out, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      return fail("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running helm", e);
    }
  }
}
