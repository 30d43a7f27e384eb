package io.fieldproof.device.emulator.flash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlashTimingsTest {

  private final FlashTimings w25q32 = FlashTimings.w25q32jvTypical();

  @Test
  void aRangeIsErasedInSectorsUpToABlockBoundaryThenInWholeBlocks() {
    long sector = w25q32.sectorEraseNanos();
    long block = w25q32.blockEraseNanos();

    assertThat(w25q32.eraseNanos(0x210000, 50 * 1024)).isEqualTo(13 * sector);
    assertThat(w25q32.eraseNanos(0x20F000, 0x21000)).isEqualTo(sector + 2 * block);
    assertThat(w25q32.eraseNanos(0x210800, 0x100)).isEqualTo(sector);
    assertThat(w25q32.eraseNanos(0x210000, 0)).isZero();
  }

  @Test
  void programmingTakesOnePageTimePerPageTouched() {
    long page = w25q32.pageProgramNanos();

    assertThat(w25q32.programNanos(0x1000, 256)).isEqualTo(page);
    assertThat(w25q32.programNanos(0x1010, 256)).isEqualTo(2 * page);
    assertThat(w25q32.programNanos(0x1000, 0x4000)).isEqualTo(64 * page);
  }

  @Test
  void theDatasheetFiguresAndTheInstantChip() {
    assertThat(w25q32.sectorEraseNanos()).isEqualTo(45_000_000L);
    assertThat(w25q32.pageProgramNanos()).isEqualTo(400_000L);
    assertThat(FlashTimings.instant().isInstant()).isTrue();
    assertThat(FlashTimings.instant().eraseNanos(0, 4 << 20)).isZero();
  }

  @Test
  void theClockAddsUpWorkChargedBackToBack() {
    FlashClock clock = new FlashClock(new FlashTimings(1_000, 5_000, 100_000, 10));

    clock.erasing(0, 0x2000);
    clock.programming(0, 512);
    clock.awaitReady();

    assertThat(clock.busyNanos()).isEqualTo(2_000 + 20);
  }
}
