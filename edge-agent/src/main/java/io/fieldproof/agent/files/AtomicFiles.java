package io.fieldproof.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * Durable, atomic file replacement: a crash or a power cut at any point leaves either the old
 * content or the new one, never half, and once {@link #write} returned the new content survives a
 * power cut.
 *
 * <p>Write order: the content goes to {@code <name>.tmp} in the same folder and is forced to the
 * device ({@code fsync}), the temporary file is renamed over the target ({@code rename(2)}, atomic
 * within one file system), and the folder is forced so that the rename itself is on the device.
 * Without the first force, a file system with delayed allocation may persist the rename before the
 * data and leave an empty file after a power cut; without the second, the rename may be lost.
 */
public final class AtomicFiles {

  /** The suffix of files being written; what a crash leaves behind with it is garbage. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    Path temp = writeTemp(target, content);
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    forceFolder(target.toAbsolutePath().getParent());
  }

  /** The first half of {@link #write}: the forced temporary file, not yet renamed into place. */
  public static Path writeTemp(Path target, byte[] content) throws IOException {
    Path temp = temp(target);
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the write failed already (a full disk, a read-only folder); that is what is reported
      }
      throw e;
    }
    return temp;
  }

  /**
   * The second half of {@link #write} for a temporary file written by other means (a stream):
   * renamed over the target, then the folder forced.
   */
  public static void moveInto(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    forceFolder(target.toAbsolutePath().getParent());
  }

  /** Removes the temporary file a crash between writing it and renaming it left behind. */
  public static void discardTemp(Path target) throws IOException {
    Files.deleteIfExists(temp(target));
  }

  /**
   * Forces a folder's entries (creations, renames, deletions) to the device. Where the platform
   * cannot open a folder as a file (Windows), renames are durable through the file system itself.
   */
  public static void forceFolder(Path folder) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(folder, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try (channel) {
      channel.force(true);
    }
  }

  /**
   * Moves a file that cannot be read aside to {@code <name>.corrupt-<UTC time>} and deletes all but
   * the {@code keep} newest such copies. Returns where it went.
   */
  public static Path moveAside(Path file, Clock clock, int keep) throws IOException {
    String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
    Path aside = file.resolveSibling(base);
    for (int n = 1; ; n++) {
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        break;
      } catch (FileAlreadyExistsException e) {
        aside = file.resolveSibling(base + "-" + n);
      }
    }
    forceFolder(file.toAbsolutePath().getParent());
    String prefix = file.getFileName() + ".corrupt-";
    List<Path> kept;
    try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
      kept =
          siblings
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
              .toList();
    }
    for (Path old : kept.subList(Math.min(keep, kept.size()), kept.size())) {
      Files.deleteIfExists(old);
    }
    return aside;
  }

  /** Where the content of {@code target} is written before it is renamed into place. */
  public static Path temp(Path target) {
    return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
  }
}
