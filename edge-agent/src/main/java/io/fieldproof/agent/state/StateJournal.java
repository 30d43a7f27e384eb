package io.fieldproof.agent.state;

import io.fieldproof.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The append-only file of the agent's state changes since its last snapshot ({@code
 * state.journal}): one line per change, {@code <crc32 of the JSON, 8 hex digits> <JSON>\n}.
 *
 * <p>Write order: a batch of lines is appended and forced ({@code fdatasync}); the first append to
 * a file this journal created forces its folder as well, so the file itself survives a power cut. A
 * crash in the middle of an append leaves a torn last line: {@link #read()} returns the lines up to
 * the first one that is incomplete or whose checksum does not match, and how many bytes follow
 * them. Nothing may be appended after such a tail (the reader would stop before the new lines): the
 * owner replaces the file with {@link #reset()} first.
 */
final class StateJournal {

  static final String FILE = "state.journal";

  /** What {@link #read()} found: the good lines' JSON, in order, and the bytes after them. */
  record Contents(List<byte[]> lines, long tornBytes, String tornReason) {}

  private final Path file;
  private boolean created;

  StateJournal(Path dir) {
    this.file = dir.resolve(FILE);
  }

  Path file() {
    return file;
  }

  Contents read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
      created = true;
    } catch (NoSuchFileException e) {
      return new Contents(List.of(), 0, null);
    }
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    String reason = null;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        reason = "an incomplete last line";
        break;
      }
      byte[] json = checked(bytes, start, end);
      if (json == null) {
        reason = "a line whose checksum does not match";
        break;
      }
      lines.add(json);
      start = end + 1;
    }
    return new Contents(lines, bytes.length - start, reason);
  }

  /** Appends the lines (each one JSON text) and forces them to the device. */
  void append(List<byte[]> jsons) throws IOException {
    boolean creating = !created && Files.notExists(file);
    try (FileChannel out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(encode(jsons));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(false);
    }
    if (creating) {
      AtomicFiles.forceFolder(file.toAbsolutePath().getParent());
    }
    created = true;
  }

  /**
   * Empties the journal (after a snapshot holding everything in it was written): truncated to
   * nothing and forced, or created empty with its folder forced.
   */
  void reset() throws IOException {
    boolean creating = Files.notExists(file);
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      out.force(false);
    }
    if (creating) {
      AtomicFiles.forceFolder(file.toAbsolutePath().getParent());
    }
    created = true;
  }

  static byte[] encode(List<byte[]> jsons) {
    int size = 0;
    for (byte[] json : jsons) {
      size += json.length + 10;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] json : jsons) {
      out.put(
          String.format("%08x ", crc(json, 0, json.length)).getBytes(StandardCharsets.US_ASCII));
      out.put(json);
      out.put((byte) '\n');
    }
    return out.array();
  }

  /** The JSON of the line from {@code start} to {@code end} (its newline), or null if damaged. */
  private static byte[] checked(byte[] bytes, int start, int end) {
    if (end - start < 10 || bytes[start + 8] != ' ') {
      return null;
    }
    long expected;
    try {
      expected = Long.parseLong(new String(bytes, start, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    int from = start + 9;
    if (crc(bytes, from, end - from) != expected) {
      return null;
    }
    byte[] json = new byte[end - from];
    System.arraycopy(bytes, from, json, 0, json.length);
    return json;
  }

  private static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
