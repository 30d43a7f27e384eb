package io.fieldproof.device.emulator.flash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The file an emulated chip keeps its flash in, so that restarting the emulator process is a reboot
 * and not a new blank chip: a raw image of the whole flash (file offset 0 is the flash's first
 * byte, erased bytes are 0xFF), as esptool's {@code read-flash} would dump it. A new or empty file
 * becomes a blank chip. Every erase and write reaches the file before it returns (no fsync: the
 * image outlives the process, not the machine). The file is locked while open, so two emulators
 * never share one chip. Not thread-safe: {@link EmulatedFlash} serializes access.
 */
public final class FlashFile implements AutoCloseable {

  private static final int FILL_CHUNK = 64 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final int size;

  private FlashFile(Path path, FileChannel channel, FileLock lock, int size) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.size = size;
  }

  /**
   * Opens (or creates) the image of a flash of {@code size} bytes.
   *
   * @throws IOException when the file cannot be opened, holds an image of another size (another
   *     chip's flash) or is in use by another emulator
   */
  public static FlashFile open(Path path, int size) throws IOException {
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock = lockOf(path, channel);
      long held = channel.size();
      if (held == 0) {
        fill(channel, 0, size);
      } else if (held != size) {
        throw new IOException(
            "flash file "
                + path
                + " holds "
                + held
                + " bytes, not the "
                + size
                + " of this chip's flash");
      }
      return new FlashFile(path, channel, lock, size);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public int size() {
    return size;
  }

  /** The bytes at {@code offset}. */
  public byte[] read(int offset, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException("flash file " + path + " ends early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read flash file " + path, e);
    }
    return buffer.array();
  }

  /** Stores {@code length} bytes of {@code data} from {@code from} at {@code offset}. */
  public void write(int offset, byte[] data, int from, int length) {
    try {
      writeFully(channel, offset, ByteBuffer.wrap(data, from, length));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write flash file " + path, e);
    }
  }

  /** Sets {@code length} bytes at {@code offset} to 0xFF. */
  public void erase(int offset, int length) {
    try {
      fill(channel, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot erase in flash file " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it as well
    }
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close flash file " + path, e);
    }
  }

  private static FileLock lockOf(Path path, FileChannel channel) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException("flash file " + path + " is in use by another emulator");
    }
    return lock;
  }

  private static void fill(FileChannel channel, long offset, long length) throws IOException {
    byte[] erased = new byte[(int) Math.min(FILL_CHUNK, length)];
    Arrays.fill(erased, (byte) 0xFF);
    long done = 0;
    while (done < length) {
      int take = (int) Math.min(erased.length, length - done);
      writeFully(channel, offset + done, ByteBuffer.wrap(erased, 0, take));
      done += take;
    }
  }

  private static void writeFully(FileChannel channel, long offset, ByteBuffer buffer)
      throws IOException {
    long at = offset;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
