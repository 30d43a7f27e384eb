package io.fieldproof.operator.observe;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, as the fleet page test drives it: a screenshot and the DOM after the
 * page's script ran. test/dashboard/setup-chromium.sh installs it; when it is missing the test
 * fails if CI is set and is skipped with that hint otherwise.
 */
public final class HeadlessChromium {

  private static final long TIMEOUT_SECONDS = 90;

  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  /** The installed chromium, or a failed (CI) or skipped (elsewhere) test. */
  public static HeadlessChromium require() {
    for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/snap/bin"}) {
      Path candidate = Path.of(dir, "chromium");
      if (Files.isExecutable(candidate)) {
        return new HeadlessChromium(candidate);
      }
    }
    String missing =
        "chromium is missing: run test/dashboard/setup-chromium.sh (.ci/install.sh does it)";
    if (System.getenv("CI") != null) {
      fail(missing);
    }
    Assumptions.abort(missing);
    return null;
  }

  /** Loads {@code url} in a 1400x1000 window and writes a PNG of it. */
  public void screenshot(String url, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png.toAbsolutePath()), url);
    if (!Files.isRegularFile(png)) {
      fail("chromium wrote no screenshot to " + png);
    }
  }

  /** Loads {@code url} and returns the DOM as the page's script left it. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom"), url);
  }

  private String run(List<String> action, String url) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1400,1000",
                "--virtual-time-budget=5000"));
    command.addAll(action);
    command.add(url);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
      }
      if (process.exitValue() != 0) {
        fail("chromium exited with " + process.exitValue() + ": " + Files.readString(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      deleteTree(profile);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
