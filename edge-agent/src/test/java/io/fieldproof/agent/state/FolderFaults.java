package io.fieldproof.agent.state;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a folder refuse writes the way a gateway's disk does: read-only (a file system remounted
 * read-only after an error) or full. As root, whom permissions do not stop, through a read-only
 * bind mount or a small tmpfs; otherwise by taking the write permission away (read-only only).
 * Where neither can be had, the test is skipped with the reason, and fails in CI.
 */
public final class FolderFaults implements AutoCloseable {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path folder;
  private final Runnable undo;

  private FolderFaults(Path folder, Runnable undo) {
    this.folder = folder;
    this.undo = undo;
  }

  /** Makes {@code folder} (which exists) read-only until {@link #close()}. */
  public static FolderFaults readOnly(Path folder) throws IOException {
    if (ROOT) {
      require(run("mount", "--bind", folder.toString(), folder.toString()), "mount --bind");
      if (!run("mount", "-o", "remount,bind,ro", folder.toString())) {
        run("umount", folder.toString());
        require(false, "mount -o remount,bind,ro");
      }
      return new FolderFaults(folder, () -> run("umount", "--lazy", folder.toString()));
    }
    var before = Files.getPosixFilePermissions(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
    return new FolderFaults(
        folder,
        () -> {
          try {
            Files.setPosixFilePermissions(folder, before);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * Mounts a tmpfs of {@code bytes} on {@code folder} (empty, created if missing) and fills it, so
   * every write that needs a block fails with "No space left on device" until {@link #makeRoom()}.
   */
  public static FolderFaults fullDisk(Path folder, int bytes) throws IOException {
    require(ROOT, "root (to mount a small tmpfs)");
    Files.createDirectories(folder);
    require(
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", folder.toString()),
        "mount -t tmpfs");
    FolderFaults faults =
        new FolderFaults(folder, () -> run("umount", "--lazy", folder.toString()));
    faults.fill();
    return faults;
  }

  /** Fills what room is left. */
  public void fill() throws IOException {
    byte[] block = new byte[1024];
    for (int n = 0; ; n++) {
      try (OutputStream out = Files.newOutputStream(folder.resolve("filler-" + n))) {
        while (true) {
          out.write(block);
          out.flush();
        }
      } catch (IOException full) {
        if (n > 64) {
          return;
        }
      }
      try {
        // tmpfs hands out whole pages: small files can still fit after a big one stopped
        if (Files.size(folder.resolve("filler-" + n)) == 0) {
          return;
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Deletes the filler, so writes fit again. */
  public void makeRoom() throws IOException {
    try (var files = Files.list(folder)) {
      for (Path file :
          files.filter(p -> p.getFileName().toString().startsWith("filler-")).toList()) {
        Files.delete(file);
      }
    }
  }

  @Override
  public void close() {
    undo.run();
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      String message = "this test needs " + what + " on this machine";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
  }

  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
