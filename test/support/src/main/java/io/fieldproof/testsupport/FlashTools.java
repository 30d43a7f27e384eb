package io.fieldproof.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The third-party flashing tools that judge the emulators: esptool and stm32loader from the venv
 * that {@code test/flash-tools/setup-venv.sh} creates, and Debian's stm32flash. A missing tool
 * fails the test with what to install ({@code scripts/test.sh} installs them): they are the judges,
 * a run without them proves nothing.
 */
public final class FlashTools {

  private FlashTools() {}

  /** The result of one tool run. */
  public record Run(int exitCode, String output) {

    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** The venv's python, failing the test when the venv is missing. */
  public static Path python() {
    String configured = System.getenv("FIELDPROOF_FLASH_TOOLS_VENV");
    Path venv =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache/fieldproof/venv-flash-tools");
    Path python = venv.resolve("bin/python");
    if (!Files.isExecutable(python)) {
      fail(
          "the flashing tools venv is missing ("
              + python
              + "): run test/flash-tools/setup-venv.sh (scripts/test.sh does it)");
    }
    return python;
  }

  /** Debian's stm32flash, failing the test when it is not installed. */
  public static Path stm32flash() {
    for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
      Path candidate = Path.of(dir, "stm32flash");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("stm32flash is missing: apt-get install -y stm32flash (scripts/test.sh needs it)");
  }

  /** Runs {@code python -m esptool args...}. */
  public static Run esptool(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(python().toString(), "-m", "esptool"));
    command.addAll(List.of(args));
    return run(command, timeout);
  }

  /** Runs a command, merging stdout and stderr, and kills it after {@code timeout}. */
  public static Run run(List<String> command, Duration timeout) {
    try {
      Path log = Files.createTempFile("flash-tool", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          return new Run(
              -1,
              "timed out after " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return fail("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running " + command, e);
    }
  }
}
