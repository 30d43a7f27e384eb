package io.fieldproof.device.emulator.esp32;

import java.util.Arrays;

/**
 * The order of the blocks of one download: the next block must carry the next sequence number. A
 * host that missed a reply sends the last accepted block again with the same number: that block is
 * recognised (same bytes) and acknowledged without being applied twice.
 */
final class BlockSequence {

  /** What to do with a block that passed {@link #admit}. */
  enum Verdict {
    /** The next block: apply it, then call {@link #accepted}. */
    NEXT,
    /** The last accepted block once more: acknowledge it, apply nothing. */
    RESENT
  }

  private final int blocks;
  private int next;
  private byte[] lastAccepted;

  BlockSequence(int blocks) {
    this.blocks = blocks;
  }

  Verdict admit(DataBlock block) throws RomCommandException {
    if (block.seq() == next && next < blocks) {
      return Verdict.NEXT;
    }
    if (block.seq() == next - 1 && Arrays.equals(block.bytes(), lastAccepted)) {
      return Verdict.RESENT;
    }
    throw new RomCommandException(
        RomError.FAILED_TO_ACT,
        next < blocks
            ? "block %d out of sequence, expected %d".formatted(block.seq(), next)
            : "block %d past the %d announced".formatted(block.seq(), blocks));
  }

  void accepted(DataBlock block) {
    lastAccepted = block.bytes();
    next++;
  }
}
