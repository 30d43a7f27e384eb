package io.fieldproof.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool the way a user would (kubectl and its plugin, python, lua) and gives
 * back its exit code and both outputs; a run that outlives its timeout is killed and fails.
 */
record ProcessRun(int exitCode, String stdout, String stderr) {

  static ProcessRun of(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("run", ".out");
      Path err = Files.createTempFile("run", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within " + timeout);
        }
        return new ProcessRun(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  boolean ok() {
    return exitCode == 0;
  }

  /** Both outputs, for assertion messages. */
  String describe() {
    return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }
}
