package io.fieldproof.device.emulator.stm32;

/**
 * EXTENDED_ERASE (0x44): {@code N-1} as two bytes, then N two-byte page numbers and the XOR of all
 * those bytes; or a special code and its checksum: 0xFFFF mass erase, 0xFFFE bank 1, 0xFFFD bank 2
 * (dual-bank chips only). Page numbers are indices of the chip's sectors. A count larger than the
 * flash has pages is refused at once; a bad checksum or page erases nothing.
 */
final class ExtendedEraseCommand implements Stm32Command {

  private static final int SPECIAL = 0xFFF0;
  private static final int MASS = 0xFFFF;
  private static final int BANK_1 = 0xFFFE;
  private static final int BANK_2 = 0xFFFD;

  @Override
  public int code() {
    return 0x44;
  }

  @Override
  public Stage start(BootContext boot) {
    return new Stage(
        2,
        bytes -> {
          int code = An3155.u16(bytes, 0);
          if (code >= SPECIAL) {
            return new Stage(1, checksum -> special(boot, code, checksum[0] & 0xFF));
          }
          int count = code + 1;
          if (count > boot.memory().pageCount()) {
            return boot.nack();
          }
          int seed = An3155.xor(bytes, 0, 2);
          return new Stage(2 * count + 1, pages -> pages(boot, count, seed, pages));
        });
  }

  private static Stage pages(BootContext boot, int count, int seed, byte[] bytes) {
    if ((seed ^ An3155.xor(bytes, 0, 2 * count)) != (bytes[2 * count] & 0xFF)) {
      return boot.nack();
    }
    for (int i = 0; i < count; i++) {
      if (An3155.u16(bytes, 2 * i) >= boot.memory().pageCount()) {
        return boot.nack();
      }
    }
    for (int i = 0; i < count; i++) {
      boot.memory().erasePage(An3155.u16(bytes, 2 * i));
    }
    boot.ack();
    return boot.idle();
  }

  private static Stage special(BootContext boot, int code, int checksum) {
    int bank = boot.chip().bankPages();
    if (((code >> 8) ^ (code & 0xFF)) != checksum) {
      return boot.nack();
    }
    if (code == MASS) {
      return eraseRange(boot, 0, boot.memory().pageCount());
    }
    if (bank > 0 && code == BANK_1) {
      return eraseRange(boot, 0, bank);
    }
    if (bank > 0 && code == BANK_2) {
      return eraseRange(boot, bank, 2 * bank);
    }
    return boot.nack();
  }

  private static Stage eraseRange(BootContext boot, int first, int end) {
    for (int page = first; page < end; page++) {
      boot.memory().erasePage(page);
    }
    boot.ack();
    return boot.idle();
  }
}
