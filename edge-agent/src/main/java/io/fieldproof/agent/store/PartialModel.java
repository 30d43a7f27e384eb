package io.fieldproof.agent.store;

import io.fieldproof.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The chunks of one model downloaded so far, one file per chunk ({@code models/.partial/<sha256>/
 * <index>}), each written atomically: a restarted agent finds every chunk it had and fetches only
 * the others. The chunks are checked against the manifest by whoever reads them. Guarded by the
 * store's lock, so a garbage collection never runs halfway through a chunk.
 */
public final class PartialModel {

  private final Path dir;
  private final Object lock;

  PartialModel(Path dir, Object lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /** The indexes of the chunks on disk, in order. */
  public TreeSet<Integer> held() throws IOException {
    synchronized (lock) {
      TreeSet<Integer> held = new TreeSet<>();
      if (!Files.isDirectory(dir)) {
        return held;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          index(file).ifPresent(held::add);
        }
      }
      return held;
    }
  }

  public void put(int index, byte[] chunk) throws IOException {
    synchronized (lock) {
      Files.createDirectories(dir);
      AtomicFiles.write(chunk(index), chunk);
    }
  }

  public byte[] read(int index) throws IOException {
    synchronized (lock) {
      return Files.readAllBytes(chunk(index));
    }
  }

  /** Deletes one chunk, found bad. */
  public void discard(int index) throws IOException {
    synchronized (lock) {
      Files.deleteIfExists(chunk(index));
    }
  }

  Path chunk(int index) {
    return dir.resolve(Integer.toString(index));
  }

  Path dir() {
    return dir;
  }

  private static Optional<Integer> index(Path file) {
    String name = file.getFileName().toString();
    if (!name.matches("[0-9]{1,6}")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(name));
  }
}
