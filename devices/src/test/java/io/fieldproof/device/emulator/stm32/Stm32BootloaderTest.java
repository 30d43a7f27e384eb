package io.fieldproof.device.emulator.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Stm32BootloaderTest {

  private static final int ACK = 0x79;
  private static final int NACK = 0x1F;
  private static final long FLASH = 0x0800_0000L;

  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  /** WRITE_MEMORY with the checksum AN3155 asks for, or a wrong one. */
  private static int[] writeMemory(
      BootloaderHarness boot, long address, byte[] data, boolean goodChecksum) {
    boot.command(0x31);
    boot.address(address);
    int checksum = data.length - 1;
    for (byte b : data) {
      checksum ^= b & 0xFF;
    }
    boot.write(data.length - 1);
    boot.write(data);
    boot.write(goodChecksum ? checksum : checksum ^ 0x01);
    return boot.reply();
  }

  private static int[] readMemory(BootloaderHarness boot, long address, int length) {
    boot.command(0x11);
    boot.address(address);
    boot.write(length - 1, (length - 1) ^ 0xFF);
    return boot.reply();
  }

  private static int[] extendedErase(BootloaderHarness boot, int... pages) {
    boot.command(0x44);
    int count = pages.length - 1;
    int checksum = (count >> 8) ^ (count & 0xFF);
    boot.write(count >> 8, count & 0xFF);
    for (int page : pages) {
      boot.write(page >> 8, page & 0xFF);
      checksum ^= (page >> 8) ^ (page & 0xFF);
    }
    boot.write(checksum);
    return boot.reply();
  }

  private static int[] unsigned(byte[] bytes) {
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = bytes[i] & 0xFF;
    }
    return values;
  }

  /** What READ_MEMORY answers: ACK for the command, the address and the length, then the data. */
  private static int[] readAnswer(byte[] bytes) {
    int[] values = new int[bytes.length + 3];
    Arrays.fill(values, 0, 3, ACK);
    System.arraycopy(unsigned(bytes), 0, values, 3, bytes.length);
    return values;
  }

  @Test
  void syncIsAcknowledgedOnceAndNackedWhenAlreadySynced() {
    BootloaderHarness boot = new BootloaderHarness(Stm32Chip.stm32f4());
    boot.write(0x00, 0x55);
    assertThat(boot.reply()).isEmpty();
    boot.write(0x7F);
    assertThat(boot.reply()).containsExactly(ACK);
    boot.write(0x7F);
    assertThat(boot.reply()).containsExactly(NACK);
    assertThat(boot.counters.ignoredBytes()).isEqualTo(2);
    assertThat(boot.counters.nacks()).isEqualTo(1);
  }

  @Test
  void getListsTheCommandsWithExtendedEraseAndNotErase() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    boot.command(0x00);
    assertThat(boot.reply())
        .containsExactly(ACK, 7, 0x31, 0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x44, ACK);
    boot.command(0x01);
    assertThat(boot.reply()).containsExactly(ACK, 0x31, 0, 0, ACK);
  }

  @Test
  void getIdAnswersTheProductIdOfEachChip() {
    BootloaderHarness f4 = BootloaderHarness.synced(Stm32Chip.stm32f4());
    f4.command(0x02);
    assertThat(f4.reply()).containsExactly(ACK, 1, 0x04, 0x13, ACK);
    BootloaderHarness l4 = BootloaderHarness.synced(Stm32Chip.stm32l4());
    l4.command(0x02);
    assertThat(l4.reply()).containsExactly(ACK, 1, 0x04, 0x15, ACK);
  }

  @Test
  void aBadComplementIsNackedAndCounted() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    boot.write(0x00, 0xFE);
    assertThat(boot.reply()).containsExactly(NACK);
    boot.command(0x02);
    assertThat(boot.reply()).containsExactly(ACK, 1, 0x04, 0x13, ACK);
    assertThat(boot.counters.nacks()).isEqualTo(1);
  }

  @Test
  void unknownAndProtectionCommandsAreNacked() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    for (int code : new int[] {0x43, 0x63, 0x73, 0x82, 0x92, 0xA1, 0xFF, 0x05}) {
      boot.command(code);
      assertThat(boot.reply()).as("command 0x%02X", code).containsExactly(NACK);
    }
    assertThat(boot.counters.nacks()).isEqualTo(8);
    assertThat(boot.counters.commands()).isZero();
  }

  @Test
  void writesAndReadsBackFlash() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    byte[] data = pattern(256, 1);
    assertThat(writeMemory(boot, FLASH + 0x80000, data, true)).containsExactly(ACK, ACK, ACK);
    assertThat(boot.flash.read(0x80000, 256)).isEqualTo(data);
    assertThat(readMemory(boot, FLASH + 0x80000, 256)).containsExactly(readAnswer(data));
  }

  @Test
  void aBadChecksumIsNackedAndWritesNothing() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    assertThat(writeMemory(boot, FLASH + 0x20000, pattern(64, 2), false))
        .containsExactly(ACK, ACK, NACK);
    assertThat(boot.flash.read(0x20000, 64)).containsOnly((byte) 0xFF);
    assertThat(boot.counters.nacks()).isEqualTo(1);
  }

  @Test
  void writingWithoutEraseOnlyClearsBitsLikeNor() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    byte[] first = new byte[8];
    byte[] second = new byte[8];
    Arrays.fill(first, (byte) 0x0F);
    Arrays.fill(second, (byte) 0xF1);
    writeMemory(boot, FLASH + 0x4000, first, true);
    assertThat(writeMemory(boot, FLASH + 0x4000, second, true)).containsExactly(ACK, ACK, ACK);
    assertThat(boot.flash.read(0x4000, 8)).containsOnly((byte) 0x01);
  }

  @Test
  void misalignedOddSizedAndOutsideWritesAreNacked() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    boot.command(0x31);
    boot.address(FLASH + 2);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
    assertThat(writeMemory(boot, FLASH, pattern(6, 3), true)).containsExactly(ACK, ACK, NACK);
    assertThat(writeMemory(boot, FLASH + 0xFFFF8, pattern(16, 4), true))
        .containsExactly(ACK, ACK, NACK);
    boot.command(0x31);
    boot.address(0x2000_0000L);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
    assertThat(boot.flash.read(0, 8)).containsOnly((byte) 0xFF);
    assertThat(boot.flash.read(0xFFFF8, 8)).containsOnly((byte) 0xFF);
  }

  @Test
  void aBadAddressChecksumIsNacked() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    boot.command(0x11);
    boot.write(0x08, 0x00, 0x00, 0x00, 0x09);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
  }

  @Test
  void systemMemoryHoldsTheIdsWhereTheToolsReadThem() {
    BootloaderHarness f4 = BootloaderHarness.synced(Stm32Chip.stm32f4());
    assertThat(readMemory(f4, 0x1FFF_7A10L, 12)).containsExactly(readAnswer(BootloaderHarness.UID));
    assertThat(readMemory(f4, 0x1FFF_7A22L, 2)).containsExactly(ACK, ACK, ACK, 0x00, 0x04);
    assertThat(readMemory(f4, 0x1FFF_77DEL, 1)).containsExactly(ACK, ACK, ACK, 0x31);
    assertThat(readMemory(f4, 0x1FFF_7A00L, 256)).hasSize(259);
    assertThat(readMemory(f4, 0x1FFF_C000L, 2)).containsExactly(ACK, ACK, ACK, 0xEC, 0xAA);

    BootloaderHarness l4 = BootloaderHarness.synced(Stm32Chip.stm32l4());
    assertThat(readMemory(l4, 0x1FFF_7590L, 12)).containsExactly(readAnswer(BootloaderHarness.UID));
    assertThat(readMemory(l4, 0x1FFF_75E0L, 2)).containsExactly(ACK, ACK, ACK, 0x00, 0x04);
    assertThat(readMemory(l4, 0x1FFF_7800L, 4))
        .containsExactly(ACK, ACK, ACK, 0xAA, 0xF8, 0xEF, 0xFF);
  }

  @Test
  void readsOutsideMappedMemoryAreNacked() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    boot.command(0x11);
    boot.address(0x4000_0000L);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
    assertThat(readMemory(boot, FLASH + 0xFFF80, 256)).containsExactly(ACK, ACK, NACK);
    boot.command(0x11);
    boot.address(FLASH);
    boot.write(0x10, 0x10);
    assertThat(boot.reply()).containsExactly(ACK, ACK, NACK);
  }

  @Test
  void extendedEraseErasesTheListedSectorsOnly() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    writeMemory(boot, FLASH + 0x1C000, pattern(16, 5), true);
    writeMemory(boot, FLASH + 0x20000, pattern(16, 6), true);
    writeMemory(boot, FLASH + 0x3FFF0, pattern(16, 7), true);
    writeMemory(boot, FLASH + 0x40000, pattern(16, 8), true);
    assertThat(extendedErase(boot, 5)).containsExactly(ACK, ACK);
    assertThat(boot.flash.read(0x1C000, 16)).isEqualTo(pattern(16, 5));
    assertThat(boot.flash.read(0x20000, 16)).containsOnly((byte) 0xFF);
    assertThat(boot.flash.read(0x3FFF0, 16)).containsOnly((byte) 0xFF);
    assertThat(boot.flash.read(0x40000, 16)).isEqualTo(pattern(16, 8));
  }

  @Test
  void anEraseWithABadChecksumOrPageErasesNothing() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    writeMemory(boot, FLASH + 0x800, pattern(16, 9), true);
    boot.command(0x44);
    boot.write(0x00, 0x00, 0x00, 0x01, 0x00);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
    assertThat(extendedErase(boot, 1, 512)).containsExactly(ACK, NACK);
    assertThat(boot.flash.read(0x800, 16)).isEqualTo(pattern(16, 9));
    boot.command(0x44);
    boot.write(0x02, 0x00);
    assertThat(boot.reply()).as("more pages than the flash has").containsExactly(ACK, NACK);
  }

  @Test
  void massAndBankErase() {
    BootloaderHarness l4 = BootloaderHarness.synced(Stm32Chip.stm32l4());
    writeMemory(l4, FLASH, pattern(16, 10), true);
    writeMemory(l4, FLASH + 0x80000, pattern(16, 11), true);
    l4.command(0x44);
    l4.write(0xFF, 0xFD, 0x02);
    assertThat(l4.reply()).containsExactly(ACK, ACK);
    assertThat(l4.flash.read(0, 16)).isEqualTo(pattern(16, 10));
    assertThat(l4.flash.read(0x80000, 16)).containsOnly((byte) 0xFF);
    l4.command(0x44);
    l4.write(0xFF, 0xFF, 0x00);
    assertThat(l4.reply()).containsExactly(ACK, ACK);
    assertThat(l4.flash.read(0, 16)).containsOnly((byte) 0xFF);

    BootloaderHarness f4 = BootloaderHarness.synced(Stm32Chip.stm32f4());
    f4.command(0x44);
    f4.write(0xFF, 0xFE, 0x01);
    assertThat(f4.reply()).as("the F405 has one bank").containsExactly(ACK, NACK);
  }

  @Test
  void goStartsTheApplicationAndTheBootloaderFallsSilent() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32f4());
    boot.command(0x21);
    boot.address(0x1000_0000L);
    assertThat(boot.reply()).containsExactly(ACK, NACK);
    boot.command(0x21);
    boot.address(FLASH);
    assertThat(boot.reply()).containsExactly(ACK, ACK);
    assertThat(boot.counters.startedAt()).hasValue(FLASH);
    boot.write(0x7F);
    boot.command(0x00);
    assertThat(boot.reply()).isEmpty();
  }

  @Test
  void aPowerCutDuringAWriteSilencesTheBootloader() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    boot.flash.cutPowerAfter(10);
    assertThat(writeMemory(boot, FLASH, pattern(16, 12), true)).containsExactly(ACK, ACK);
    boot.command(0x00);
    assertThat(boot.reply()).isEmpty();
    assertThat(boot.counters.powerLosses()).isOne();
    assertThat(boot.flash.read(0, 10)).isEqualTo(Arrays.copyOf(pattern(16, 12), 10));
    assertThat(boot.flash.read(10, 6)).containsOnly((byte) 0xFF);
  }

  @Test
  void garbageNeverCrashesItAndFillerBytesBringItBackInStep() {
    BootloaderHarness boot = BootloaderHarness.synced(Stm32Chip.stm32l4());
    byte[] garbage = pattern(20_000, 13);
    for (int i = 0; i < garbage.length; i++) {
      if (garbage[i] == 0x21) {
        garbage[i] = 0x22;
      }
    }
    assertThatCode(() -> boot.write(garbage)).doesNotThrowAnyException();
    assertThat(boot.counters.nacks()).isPositive();

    byte[] filler = new byte[2 * 1024 + 3];
    Arrays.fill(filler, (byte) 0xFF);
    boot.write(filler);
    boot.reply();
    boot.write(0xFF);
    if (boot.reply().length == 0) {
      boot.write(0xFF);
      assertThat(boot.reply()).containsExactly(NACK);
    }
    boot.command(0x02);
    assertThat(boot.reply()).containsExactly(ACK, 1, 0x04, 0x15, ACK);
  }
}
