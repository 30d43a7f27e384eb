package io.fieldproof.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the control plane's kubectl against the test API server, as a user would. */
public final class Kubectl {

  private final Path binary;
  private final Path kubeconfig;

  Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /** The outcome of one kubectl invocation. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs kubectl and returns its output; fails unless it exits 0. */
  public String run(String... args) {
    Result result = exec(args);
    if (!result.ok()) {
      throw new IllegalStateException(
          "kubectl "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ": "
              + result.stderr());
    }
    return result.stdout();
  }

  /** Runs kubectl and returns exit code and output, whatever the exit code. */
  public Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Path stderr = Files.createTempFile("kubectl", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Result(
            process.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(stderr));
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    }
  }
}
