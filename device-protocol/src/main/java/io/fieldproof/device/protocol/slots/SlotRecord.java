package io.fieldproof.device.protocol.slots;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * One selection record, as ESP-IDF's otadata entry extended for models: sequence number, state,
 * model length, sha256, name and version, and a CRC-32 over all of them. Record k lives in its own
 * erase unit and describes slot k (A = 0, B = 1). A record torn by a power cut fails its CRC and
 * counts as absent. The layout is the same on every chip, so a host flasher can write it through
 * the chip's bootloader:
 *
 * <pre>
 * 0   "FPSR" magic          4  seq (u32 LE)        8  state (u32 LE)    12 length (u32 LE)
 * 16  sha256 (32 bytes)     48 name (32 bytes, UTF-8, zero padded)     80 version (32 bytes)
 * 112 CRC-32 of bytes 0..111 (u32 LE)
 * </pre>
 */
public record SlotRecord(
    long seq, SlotState state, int length, byte[] sha256, String name, String version) {

  /** Encoded size in bytes. */
  public static final int BYTES = 116;

  private static final int MAGIC = 0x52535046;
  private static final int TEXT = 32;

  public SlotRecord {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("sha256 must be 32 bytes");
    }
    name = fit(name);
    version = fit(version);
  }

  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(MAGIC).putInt((int) seq).putInt(state.code()).putInt(length).put(sha256);
    buffer.put(Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), TEXT));
    buffer.put(Arrays.copyOf(version.getBytes(StandardCharsets.UTF_8), TEXT));
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), 0, BYTES - 4);
    buffer.putInt((int) crc.getValue());
    return buffer.array();
  }

  /** The record in {@code bytes}, or empty when they hold none (erased, torn or corrupted). */
  public static Optional<SlotRecord> decode(byte[] bytes) {
    if (bytes.length < BYTES) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, BYTES - 4);
    if (buffer.getInt(0) != MAGIC || (int) crc.getValue() != buffer.getInt(BYTES - 4)) {
      return Optional.empty();
    }
    long seq = Integer.toUnsignedLong(buffer.getInt(4));
    int length = buffer.getInt(12);
    byte[] sha = Arrays.copyOfRange(bytes, 16, 48);
    return SlotState.of(buffer.getInt(8))
        .map(
            state ->
                new SlotRecord(seq, state, length, sha, text(bytes, 48), text(bytes, 48 + TEXT)));
  }

  /** The same record in another state. */
  public SlotRecord with(SlotState next) {
    return new SlotRecord(seq, next, length, sha256, name, version);
  }

  /** The sha256 as lower-case hex. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }

  private static String text(byte[] bytes, int from) {
    int end = from;
    while (end < from + TEXT && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  private static String fit(String text) {
    String value = text == null ? "" : text;
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > TEXT) {
      throw new IllegalArgumentException("name and version are at most 32 bytes: " + value);
    }
    return value;
  }
}
