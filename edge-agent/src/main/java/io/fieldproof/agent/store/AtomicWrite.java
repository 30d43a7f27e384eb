package io.fieldproof.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file through a synced temporary sibling renamed over the target, so a crash or a power
 * cut leaves the old file or the new one, never a torn one.
 */
final class AtomicWrite {

  /** The suffix of files being written; what a crash leaves behind with it is garbage. */
  static final String TEMP_SUFFIX = ".tmp";

  private AtomicWrite() {}

  static void write(Path target, byte[] content) throws IOException {
    Path temp = temp(target);
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    moveInto(temp, target);
  }

  static Path temp(Path target) {
    return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
  }

  static void moveInto(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
