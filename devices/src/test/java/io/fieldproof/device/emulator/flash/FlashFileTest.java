package io.fieldproof.device.emulator.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.device.protocol.slots.SectorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flash kept in a file: a new flash on the same file holds what the last one erased and wrote, the
 * NOR rules still hold on those bytes, and a file is refused when it belongs to another chip or to
 * another emulator.
 */
class FlashFileTest {

  private static final int SECTOR = 4096;
  private static final SectorMap SECTORS = SectorMap.uniform(4 * SECTOR, SECTOR);

  @TempDir Path dir;

  private EmulatedFlash open(Path file) throws IOException {
    return new EmulatedFlash(SECTORS, FlashFile.open(file, SECTORS.size()));
  }

  @Test
  void aNewFileIsABlankChipImagedByteForByte() throws IOException {
    Path file = dir.resolve("chip.bin");
    try (EmulatedFlash flash = open(file)) {
      assertThat(flash.isBlank()).isTrue();
      flash.write(SECTOR + 2, new byte[] {0x12, 0x34}, 0, 2);
      assertThat(flash.isBlank()).isFalse();
    }

    byte[] image = Files.readAllBytes(file);
    assertThat(image).hasSize(SECTORS.size());
    assertThat(image[SECTOR + 2]).isEqualTo((byte) 0x12);
    assertThat(image[SECTOR + 3]).isEqualTo((byte) 0x34);
    assertThat(image[0]).isEqualTo((byte) 0xFF);
  }

  @Test
  void whatWasWrittenAndErasedIsThereAfterReopeningAndStillObeysNorRules() throws IOException {
    Path file = dir.resolve("chip.bin");
    try (EmulatedFlash flash = open(file)) {
      flash.write(0, new byte[] {0x0F, 0x55}, 0, 2);
      flash.write(2 * SECTOR, new byte[] {0x01}, 0, 1);
      flash.eraseSector(2);
      flash.write(3 * SECTOR, new byte[] {0x70}, 0, 1);
    }

    try (EmulatedFlash flash = open(file)) {
      assertThat(flash.isBlank()).isFalse();
      assertThat(flash.read(0, 3)).containsExactly(0x0F, 0x55, 0xFF);
      assertThat(flash.read(2 * SECTOR, 1)).containsExactly(0xFF);
      assertThat(flash.read(3 * SECTOR, 1)).containsExactly(0x70);

      // a write can only clear bits, on bytes that came from the file as on any other
      flash.write(0, new byte[] {(byte) 0xF0}, 0, 1);
      assertThat(flash.read(0, 1)).containsExactly(0x00);
      assertThatThrownBy(() -> flash.erase(1, SECTOR)).isInstanceOf(IllegalArgumentException.class);
      flash.erase(0, SECTOR);
    }

    try (EmulatedFlash flash = open(file)) {
      assertThat(flash.read(0, 2)).containsExactly(0xFF, 0xFF);
      assertThat(flash.read(3 * SECTOR, 1)).containsExactly(0x70);
    }
  }

  @Test
  void aPowerCutKeepsInTheFileWhatWasProgrammedBeforeIt() throws IOException {
    Path file = dir.resolve("chip.bin");
    try (EmulatedFlash flash = open(file)) {
      flash.cutPowerAfter(3);
      assertThatThrownBy(() -> flash.write(0, new byte[] {1, 2, 3, 4, 5}, 0, 5))
          .isInstanceOf(PowerLossException.class);
    }

    try (EmulatedFlash flash = open(file)) {
      assertThat(flash.read(0, 5)).containsExactly(1, 2, 3, 0xFF, 0xFF);
    }
  }

  @Test
  void aFileOfAnotherSizeIsAnotherChipsFlashAndIsRefusedUntouched() throws IOException {
    Path file = Files.write(dir.resolve("other.bin"), new byte[SECTOR]);

    assertThatThrownBy(() -> FlashFile.open(file, SECTORS.size()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds 4096 bytes, not the 16384");
    assertThat(Files.readAllBytes(file)).hasSize(SECTOR).containsOnly(0);
  }

  @Test
  void aFileInUseByAnotherEmulatorIsRefused() throws IOException {
    Path file = dir.resolve("chip.bin");
    try (EmulatedFlash first = open(file)) {
      first.write(0, new byte[] {0}, 0, 1);

      assertThatThrownBy(() -> FlashFile.open(file, SECTORS.size()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another emulator");
    }
    try (EmulatedFlash again = open(file)) {
      assertThat(again.read(0, 1)).containsExactly(0);
    }
  }
}
