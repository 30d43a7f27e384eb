package io.fieldproof.agent.capture;

import static io.fieldproof.agent.capture.TestWindows.NOON;
import static io.fieldproof.agent.capture.TestWindows.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureSpoolTest {

  private static final CaptureBudget GENEROUS = new CaptureBudget(1_000_000, 10_000_000);
  private static final long MAX_BYTES = 1_000_000;

  @TempDir Path dir;
  private final TestWindows.ManualClock clock = new TestWindows.ManualClock(NOON);

  private CaptureSpool open(long maxBytes) throws IOException {
    return CaptureSpool.open(dir, "plant-a", maxBytes, clock, new CaptureDrops());
  }

  @Test
  void spooledWindowsSurviveARestartOldestFirstWithTheirKeysAndBodies() throws Exception {
    CapturedWindow first = window("esp32-000000000001", "pumps", 300, NOON);
    CapturedWindow second = window("esp32-000000000002", "pumps", 400, NOON.plusSeconds(1));
    List<String> keys = new ArrayList<>();
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(first, GENEROUS);
      spool.accept(second, GENEROUS);
      keys.add(spool.next(Duration.ZERO).orElseThrow().key());
    }

    try (CaptureSpool reopened = open(MAX_BYTES)) {
      assertThat(reopened.size()).isEqualTo(2);
      CaptureSpool.Spooled oldest = reopened.next(Duration.ZERO).orElseThrow();
      assertThat(oldest.key()).isEqualTo(keys.get(0));
      assertThat(reopened.body(oldest)).isEqualTo(first.body());
      assertThat(oldest.header().modelSha256()).isEqualTo(first.modelSha256());
      assertThat(oldest.header().triggeredAt()).isEqualTo(NOON.toString());
      reopened.uploaded(oldest);
      CaptureSpool.Spooled next = reopened.next(Duration.ZERO).orElseThrow();
      assertThat(reopened.body(next)).isEqualTo(second.body());
      assertThat(next.header().device()).isEqualTo("esp32-000000000002");
    }
  }

  @Test
  void anUploadedWindowLeavesTheFolderAndDoesNotComeBack() throws Exception {
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 300, NOON), GENEROUS);
      spool.uploaded(spool.next(Duration.ZERO).orElseThrow());
      assertThat(spool.size()).isZero();
      assertThat(spool.bytes()).isZero();
    }
    assertThat(windowFiles()).isEmpty();
    try (CaptureSpool reopened = open(MAX_BYTES)) {
      assertThat(reopened.next(Duration.ZERO)).isEmpty();
    }
  }

  @Test
  void aDeviceOverItsDailyBudgetIsDroppedAndCountedWhileOthersGoOn() throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 100_000);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON.plusSeconds(1)), budget);
      spool.accept(window("esp32-000000000002", "pumps", 600, NOON.plusSeconds(2)), budget);

      assertThat(spool.size()).isEqualTo(2);
      assertThat(spool.drops().count(CaptureDropReason.DEVICE_BUDGET)).isEqualTo(1);
      assertThat(spool.drops().total()).isEqualTo(1);
    }
  }

  @Test
  void eachDevicesUploadsAndDropsByReasonAreCountedForItsHealth() throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 100_000);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON.plusSeconds(1)), budget);
      spool.accept(window("esp32-000000000002", "pumps", 600, NOON.plusSeconds(2)), budget);
      spool.uploaded(spool.next(Duration.ZERO).orElseThrow());

      assertThat(spool.counts("esp32-000000000001"))
          .isEqualTo(new DeviceCaptureCounts(1, java.util.Map.of("device_budget", 1L)));
      assertThat(spool.counts("esp32-000000000002"))
          .isEqualTo(new DeviceCaptureCounts(0, java.util.Map.of()));
      assertThat(spool.counts("esp32-000000000003").any()).isFalse();
    }
  }

  @Test
  void eachDevicesCountsSurviveARestartOfTheAgent() throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 100_000);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON.plusSeconds(1)), budget);
      spool.uploaded(spool.next(Duration.ZERO).orElseThrow());
    }

    try (CaptureSpool reopened = open(MAX_BYTES)) {
      assertThat(reopened.counts("esp32-000000000001"))
          .isEqualTo(new DeviceCaptureCounts(1, java.util.Map.of("device_budget", 1L)));
      assertThat(reopened.drops().count(CaptureDropReason.DEVICE_BUDGET)).isEqualTo(1);
      reopened.accept(window("esp32-000000000001", "pumps", 600, NOON.plusSeconds(2)), budget);
      assertThat(reopened.counts("esp32-000000000001").dropped())
          .isEqualTo(java.util.Map.of("device_budget", 2L));
    }
    Files.writeString(dir.resolve("counts.json"), "{not json");
    try (CaptureSpool unreadable = open(MAX_BYTES)) {
      assertThat(unreadable.counts("esp32-000000000001").any()).isFalse();
    }
  }

  @Test
  void anAgentWithoutAStoreCountsEachDevicesWindowsAsDroppedForNoStore() {
    DroppingCaptureSink sink = new DroppingCaptureSink();
    sink.accept(window("esp32-000000000001", "pumps", 600, NOON), GENEROUS);
    sink.accept(window("esp32-000000000001", "pumps", 600, NOON), GENEROUS);

    assertThat(sink.counts("esp32-000000000001"))
        .isEqualTo(new DeviceCaptureCounts(0, java.util.Map.of("no_store", 2L)));
    assertThat(sink.droppedWindows()).isEqualTo(2);
  }

  @Test
  void aGroupOverItsDailyBudgetIsDroppedAndCounted() throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 1500);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000002", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000003", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000004", "coldroom", 600, NOON), budget);

      assertThat(spool.size()).isEqualTo(3);
      assertThat(spool.drops().count(CaptureDropReason.GROUP_BUDGET)).isEqualTo(1);
    }
  }

  @Test
  void aZeroBudgetTakesNothing() throws Exception {
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 10, NOON), new CaptureBudget(0, 0));
      assertThat(spool.size()).isZero();
      assertThat(spool.drops().count(CaptureDropReason.DEVICE_BUDGET)).isEqualTo(1);
    }
  }

  @Test
  void theDaysUsageSurvivesARestartAndANewUtcDayStartsFromZero() throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 100_000);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 800, NOON), budget);
    }
    try (CaptureSpool reopened = open(MAX_BYTES)) {
      reopened.accept(window("esp32-000000000001", "pumps", 800, NOON.plusSeconds(60)), budget);
      assertThat(reopened.drops().count(CaptureDropReason.DEVICE_BUDGET)).isEqualTo(1);

      clock.advance(Duration.ofHours(12)); // 00:00 UTC the next day
      reopened.accept(window("esp32-000000000001", "pumps", 800, NOON.plusSeconds(43_200)), budget);
      assertThat(reopened.size()).isEqualTo(2);
      assertThat(reopened.drops().count(CaptureDropReason.DEVICE_BUDGET)).isEqualTo(1);
    }
  }

  @Test
  void aFullSpoolDropsTheOldestWindowsAndStaysWithinItsBound() throws Exception {
    long maxBytes = 64 * 1024;
    try (CaptureSpool spool = open(maxBytes)) {
      for (int i = 0; i < 20; i++) {
        spool.accept(
            window("esp32-00000000000" + (i % 3), "pumps", 8 * 1024, NOON.plusSeconds(i)),
            GENEROUS);
        assertThat(spool.bytes()).isLessThanOrEqualTo(maxBytes);
      }
      long kept = spool.size();
      assertThat(kept).isBetween(5L, 7L);
      assertThat(spool.drops().count(CaptureDropReason.SPOOL_FULL)).isEqualTo(20 - kept);
      // the newest windows stayed: the oldest left is the one accepted 20 - kept windows in
      CaptureSpool.Spooled oldest = spool.next(Duration.ZERO).orElseThrow();
      assertThat(oldest.header().triggeredAt()).isEqualTo(NOON.plusSeconds(20 - kept).toString());
    }
    assertThat(folderBytes()).isLessThanOrEqualTo(maxBytes);
  }

  @Test
  void theWindowBeingUploadedIsNotDroppedToMakeRoom() throws Exception {
    long maxBytes = 64 * 1024;
    try (CaptureSpool spool = open(maxBytes)) {
      spool.accept(window("esp32-000000000001", "pumps", 20 * 1024, NOON), GENEROUS);
      CaptureSpool.Spooled inFlight = spool.next(Duration.ZERO).orElseThrow();
      for (int i = 1; i < 10; i++) {
        spool.accept(
            window("esp32-000000000001", "pumps", 20 * 1024, NOON.plusSeconds(i)), GENEROUS);
      }
      assertThat(Files.exists(inFlight.file())).isTrue();
      assertThat(spool.bytes()).isLessThanOrEqualTo(maxBytes);
      spool.uploaded(inFlight);
      assertThat(spool.next(Duration.ZERO).orElseThrow().header().triggeredAt())
          .isNotEqualTo(NOON.toString());
    }
  }

  @Test
  void aWindowThatCannotBeNamedInTheBucketIsDroppedAndCountedWithoutChargingItsBudget()
      throws Exception {
    CaptureBudget budget = new CaptureBudget(1000, 100_000);
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("not a device", "pumps", 600, NOON), budget);
      spool.accept(window("esp32-000000000001", null, 600, NOON), budget);
      spool.accept(window("esp32-000000000001", "pumps", 600, NOON), budget);

      assertThat(spool.size()).isEqualTo(1);
      assertThat(spool.drops().count(CaptureDropReason.INVALID)).isEqualTo(2);
    }
  }

  @Test
  void aWindowLargerThanTheWholeSpoolIsDroppedAndCounted() throws Exception {
    try (CaptureSpool spool = open(64 * 1024)) {
      spool.accept(window("esp32-000000000001", "pumps", 100 * 1024, NOON), GENEROUS);
      assertThat(spool.size()).isZero();
      assertThat(spool.drops().count(CaptureDropReason.TOO_LARGE)).isEqualTo(1);
    }
  }

  @Test
  void aFileACrashCutShortIsCountedAsUnreadableAndAHalfWrittenOneIsRemoved() throws Exception {
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 500, NOON), GENEROUS);
      spool.accept(window("esp32-000000000002", "pumps", 500, NOON), GENEROUS);
    }
    Path cut = windowFiles().get(0);
    byte[] content = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(content, content.length - 100));
    Path halfWritten = dir.resolve("w-0000000000000000099.cap.tmp");
    Files.write(halfWritten, new byte[] {1, 2, 3});

    try (CaptureSpool reopened = open(MAX_BYTES)) {
      assertThat(reopened.size()).isEqualTo(1);
      assertThat(reopened.drops().count(CaptureDropReason.UNREADABLE)).isEqualTo(1);
      assertThat(reopened.next(Duration.ZERO).orElseThrow().header().device())
          .isEqualTo("esp32-000000000002");
      // a new window gets a file of its own, after the ones found
      reopened.accept(window("esp32-000000000003", "pumps", 500, NOON), GENEROUS);
      assertThat(reopened.size()).isEqualTo(2);
    }
    assertThat(halfWritten).doesNotExist();
  }

  @Test
  void aWindowRefusedByTheStoreLeavesTheSpoolCounted() throws Exception {
    try (CaptureSpool spool = open(MAX_BYTES)) {
      spool.accept(window("esp32-000000000001", "pumps", 500, NOON), GENEROUS);
      CaptureSpool.Spooled spooled = spool.next(Duration.ZERO).orElseThrow();
      spool.release(spooled);
      assertThat(spool.next(Duration.ZERO)).contains(spooled);
      spool.refused(spooled, "HTTP 400 InvalidArgument");
      assertThat(spool.size()).isZero();
      assertThat(spool.drops().count(CaptureDropReason.REFUSED_BY_STORE)).isEqualTo(1);
    }
  }

  @Test
  void aClosedSpoolWakesItsUploaderAndTakesNoMore() throws Exception {
    CaptureSpool spool = open(MAX_BYTES);
    spool.close();
    assertThat(spool.next(Duration.ofSeconds(5))).isEqualTo(Optional.empty());
    spool.accept(window("esp32-000000000001", "pumps", 500, NOON), GENEROUS);
    assertThat(spool.size()).isZero();
    assertThat(spool.drops().count(CaptureDropReason.WRITE_FAILED)).isEqualTo(1);
  }

  private List<Path> windowFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".cap")).sorted().toList();
    }
  }

  private long folderBytes() throws IOException {
    long total = 0;
    for (Path file : windowFiles()) {
      total += Files.size(file);
    }
    return total;
  }
}
