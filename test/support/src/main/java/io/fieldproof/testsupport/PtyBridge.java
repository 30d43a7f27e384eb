package io.fieldproof.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A pseudo-terminal whose other end is a TCP port, made by socat, so that a tool that only opens
 * serial devices (stm32flash) reaches an emulator. Destroys socat when closed.
 */
public final class PtyBridge implements AutoCloseable {

  private static final Path SOCAT = Path.of("/usr/bin/socat");

  private final Process socat;
  private final Path tty;

  private PtyBridge(Process socat, Path tty) {
    this.socat = socat;
    this.tty = tty;
  }

  /** Links {@code dir/tty} to {@code 127.0.0.1:port} and waits for the link to appear. */
  public static PtyBridge to(int port, Path dir) throws IOException {
    assertThat(Files.isExecutable(SOCAT))
        .as("socat makes the pseudo-terminal: apt-get install -y socat (.ci/install.sh does it)")
        .isTrue();
    Path tty = dir.resolve("tty");
    Process socat =
        new ProcessBuilder(
                SOCAT.toString(), "pty,link=" + tty + ",raw,echo=0", "tcp:127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("socat.log").toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(tty));
    } catch (RuntimeException e) {
      socat.destroy();
      throw e;
    }
    return new PtyBridge(socat, tty);
  }

  public Path tty() {
    return tty;
  }

  /**
   * Stops socat and waits until it is gone, with its link: socat removes the link as it exits, and
   * a caller that deletes the folder next (a JUnit {@code @TempDir}) must not race it.
   */
  @Override
  public void close() {
    socat.destroy();
    try {
      if (!socat.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        socat.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(tty);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
