package io.fieldproof.device.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The body of SLOT_WRITE, binary so model bytes travel without inflation: {@code u8 slot} (0 = A, 1
 * = B), {@code u8 flags} (bit 0: begin, erase the slot and its record first), {@code u16 0}, {@code
 * u32 offset} (little-endian), then the bytes. Writes of one update must come in order: the device
 * refuses an offset other than the bytes it holds so far, so a lost write is noticed.
 *
 * @param slot 0 (A) or 1 (B)
 * @param begin whether this write starts a new update of the slot
 * @param offset where in the slot the bytes go
 * @param data the bytes, at most {@link #MAX_DATA}
 */
public record SlotWrite(int slot, boolean begin, int offset, byte[] data) {

  /** Header bytes before the data. */
  public static final int HEADER = 8;

  /** Most data bytes one SLOT_WRITE carries. */
  public static final int MAX_DATA = FrameCodec.MAX_BODY_LENGTH - HEADER;

  public SlotWrite {
    if (slot != 0 && slot != 1) {
      throw new IllegalArgumentException("slot must be 0 (A) or 1 (B)");
    }
    if (offset < 0 || data.length > MAX_DATA) {
      throw new IllegalArgumentException("offset must not be negative, data at most " + MAX_DATA);
    }
  }

  public byte[] encode() {
    return ByteBuffer.allocate(HEADER + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) slot)
        .put((byte) (begin ? 1 : 0))
        .putShort((short) 0)
        .putInt(offset)
        .put(data)
        .array();
  }

  /** The write in {@code body}. */
  public static SlotWrite decode(byte[] body) throws MalformedBodyException {
    if (body.length < HEADER) {
      throw new MalformedBodyException("SLOT_WRITE needs an 8-byte header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int slot = buffer.get(0) & 0xFF;
    int flags = buffer.get(1) & 0xFF;
    int offset = buffer.getInt(4);
    if (slot > 1 || (flags & ~1) != 0 || buffer.getShort(2) != 0 || offset < 0) {
      throw new MalformedBodyException("SLOT_WRITE header is malformed");
    }
    return new SlotWrite(slot, flags == 1, offset, Arrays.copyOfRange(body, HEADER, body.length));
  }

  /** The slot letter of slot index {@code slot}. */
  public static String slotName(int slot) {
    return slot == 0 ? SlotTable.SLOT_A : SlotTable.SLOT_B;
  }

  /** The slot index of slot letter {@code name}. */
  public static int slotIndex(String name) throws MalformedBodyException {
    if (SlotTable.SLOT_A.equals(name)) {
      return 0;
    }
    if (SlotTable.SLOT_B.equals(name)) {
      return 1;
    }
    throw new MalformedBodyException("slot must be A or B, not " + name);
  }
}
