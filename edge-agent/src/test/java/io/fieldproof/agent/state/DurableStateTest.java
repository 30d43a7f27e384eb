package io.fieldproof.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.files.AtomicFiles;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurableStateTest {

  /** A clock at the epoch: the wall-clock floor is 0, so numbers count from 1. */
  private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private static final String ESP = "tcp://127.0.0.1:7001";

  @TempDir Path dir;

  @Test
  void aNewStateStartsAtBirthSeqZero() {
    DurableState state = DurableState.open(dir.resolve("new/state"), EPOCH);

    assertThat(state.birthSeq()).isZero();
    assertThat(state.device(ESP)).isEmpty();
  }

  @Test
  void theBirthSeqIncrementsAndSurvivesAReopen() {
    DurableState state = DurableState.open(dir, EPOCH);

    assertThat(state.nextBirthSeq()).isEqualTo(1);
    assertThat(state.nextBirthSeq()).isEqualTo(2);

    DurableState reopened = DurableState.open(dir, EPOCH);
    assertThat(reopened.birthSeq()).isEqualTo(2);
    assertThat(reopened.nextBirthSeq()).isEqualTo(3);
    assertThat(DurableState.open(dir, EPOCH).birthSeq()).isEqualTo(3);
  }

  @Test
  void theBirthSeqIsAtLeastTheWallClockAndNeverGoesBackWithIt() {
    Instant now = Instant.parse("2026-12-06T07:00:00Z");
    DurableState state = DurableState.open(dir, Clock.fixed(now, ZoneOffset.UTC));

    assertThat(state.nextBirthSeq()).isEqualTo(now.toEpochMilli());
    assertThat(state.nextBirthSeq()).isEqualTo(now.toEpochMilli() + 1);

    DurableState clockWentBack =
        DurableState.open(dir, Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC));
    assertThat(clockWentBack.nextBirthSeq()).isEqualTo(now.toEpochMilli() + 2);
  }

  @Test
  void deviceRecordsSurviveAReopenAndAreReplacedByLink() {
    DurableState state = DurableState.open(dir, EPOCH);
    DeviceRecord esp = record(ESP, "esp32-a4cf12e0b3d1", "esp32");
    DeviceRecord stm = record("tcp://127.0.0.1:7002", "stm32-0123456789abcdef01234567", "stm32f4");
    state.put(esp);
    state.put(stm);
    DeviceRecord applied = esp.withApplied(7, "ab".repeat(32));
    state.put(applied);

    DurableState reopened = DurableState.open(dir, EPOCH);

    assertThat(reopened.device(esp.link())).contains(applied);
    assertThat(reopened.device(stm.link())).contains(stm);
    assertThat(reopened.device("tcp://127.0.0.1:7003")).isEmpty();
    assertThat(reopened.birthSeq()).isZero();
  }

  @Test
  void savingLeavesTheStateAndTheHighWaterMarkAndNoTemporaryFile() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    state.nextBirthSeq();
    state.put(record(ESP, "esp32-a4cf12e0b3d1", "esp32"));

    assertThat(names()).containsExactlyInAnyOrder("state.journal", "birth.seq");
    assertThat(Files.readString(dir.resolve("birth.seq"))).isEqualTo("1");
    compact(state, record(ESP, "esp32-a4cf12e0b3d1", "esp32"));
    assertThat(names()).containsExactlyInAnyOrder("state.json", "state.journal", "birth.seq");
  }

  /** Before the fix an empty file silently restarted the count at 0, the others crash-looped. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"birthSeq\": 41, \"devices\": [{\"link\": \"tcp://127.0.0.1:7001\", \"id\": \"esp3",
        "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000",
        "this is not json",
        "[1, 2, 3]",
        "{\"birthSeq\": \"many\", \"devices\": []}",
        "{\"birthSeq\": 41, \"devices\": [{\"link\": {\"not\": \"a string\"}}]}"
      })
  void anUnreadableStateFileIsMovedAsideAndTheBirthSeqStaysAboveTheOldOne(String content)
      throws IOException {
    DurableState before = DurableState.open(dir, EPOCH);
    // in the snapshot only: the journal after it holds the birth numbers
    compact(before, record(ESP, "esp32-a4cf12e0b3d1", "esp32"));
    for (int i = 0; i < 41; i++) {
      before.nextBirthSeq();
    }
    Files.writeString(dir.resolve("state.json"), content);

    DurableState recovered = DurableState.open(dir, EPOCH);

    assertThat(recovered.device(ESP)).isEmpty();
    assertThat(recovered.nextBirthSeq()).isEqualTo(42);
    assertThat(names()).anyMatch(n -> n.startsWith("state.json.corrupt-"));
    Path aside = corruptCopies("state.json").get(0);
    assertThat(Files.readString(aside)).isEqualTo(content);
    recovered.put(record(ESP, "esp32-a4cf12e0b3d1", "esp32"));
    assertThat(DurableState.open(dir, EPOCH).device(ESP)).isPresent();
    assertThat(DurableState.open(dir, EPOCH).birthSeq()).isEqualTo(42);
  }

  @Test
  void anUnreadableHighWaterMarkIsMovedAsideAndTheStateFileCarriesTheNumber() throws IOException {
    DurableState before = DurableState.open(dir, EPOCH);
    before.nextBirthSeq();
    before.nextBirthSeq();
    Files.writeString(dir.resolve("birth.seq"), "12garbage");

    DurableState recovered = DurableState.open(dir, EPOCH);

    assertThat(recovered.nextBirthSeq()).isEqualTo(3);
    assertThat(corruptCopies("birth.seq")).hasSize(1);
  }

  @Test
  void withBothFilesLostTheWallClockKeepsTheBirthSeqAboveEveryEarlierOne() throws IOException {
    Instant first = Instant.parse("2026-12-06T07:00:00Z");
    DurableState before = DurableState.open(dir, Clock.fixed(first, ZoneOffset.UTC));
    long earlier = 0;
    for (int i = 0; i < 5; i++) {
      earlier = before.nextBirthSeq();
    }
    Files.writeString(dir.resolve("state.json"), "{\"birthSeq\": 3");
    Files.write(dir.resolve("birth.seq"), new byte[0]);
    Files.delete(dir.resolve("state.journal"));

    DurableState recovered =
        DurableState.open(dir, Clock.fixed(first.plusSeconds(30), ZoneOffset.UTC));

    assertThat(recovered.nextBirthSeq()).isGreaterThan(earlier);
  }

  @Test
  void onlyTheNewestCorruptCopiesAreKept() throws IOException {
    for (int i = 0; i < 6; i++) {
      DurableState.open(dir, EPOCH).nextBirthSeq();
      Files.writeString(dir.resolve("state.json"), "garbage " + i);
      Instant at = Instant.parse("2026-12-06T07:00:00Z").plusSeconds(i);
      DurableState.open(dir, Clock.fixed(at, ZoneOffset.UTC));
    }

    List<Path> kept = corruptCopies("state.json");
    assertThat(kept).hasSize(DurableState.CORRUPT_KEPT);
    assertThat(Files.readString(kept.get(0))).isEqualTo("garbage 5");
  }

  @Test
  void aCrashBetweenWritingTheTemporaryFileAndRenamingItLeavesTheLastState() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    state.put(record(ESP, "esp32-a4cf12e0b3d1", "esp32"));
    state.nextBirthSeq();
    // the crash: the next state went to state.json.tmp (here half of it), never renamed
    AtomicFiles.writeTemp(
        dir.resolve("state.json"), "{\"birthSeq\": 2, \"devi".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.writeTemp(dir.resolve("birth.seq"), "2".getBytes(StandardCharsets.UTF_8));

    DurableState reopened = DurableState.open(dir, EPOCH);

    assertThat(reopened.birthSeq()).isEqualTo(1);
    assertThat(reopened.device(ESP)).isPresent();
    assertThat(names()).containsExactlyInAnyOrder("state.journal", "birth.seq");
    assertThat(reopened.nextBirthSeq()).isEqualTo(2);
  }

  @Test
  void aReadOnlyFolderNeverThrowsAndTheStateIsWrittenOnceItIsWritableAgain() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    state.nextBirthSeq();
    DeviceRecord esp = record(ESP, "esp32-a4cf12e0b3d1", "esp32");

    try (FolderFaults readOnly = FolderFaults.readOnly(dir)) {
      assertThat(state.nextBirthSeq()).isEqualTo(2);
      state.put(esp);
      state.retryWrites();
      assertThat(state.device(ESP)).contains(esp);
      assertThat(state.writeFailures()).isEqualTo(3);
      assertThat(DurableState.open(dir, EPOCH).birthSeq()).isEqualTo(1);
    }
    state.retryWrites();

    DurableState reopened = DurableState.open(dir, EPOCH);
    assertThat(reopened.birthSeq()).isEqualTo(2);
    assertThat(reopened.device(ESP)).contains(esp);
  }

  @Test
  void aFullDiskNeverThrowsAndKeepsTheLastGoodStateUntilThereIsRoom() throws IOException {
    Path small = dir.resolve("small");
    try (FolderFaults disk = FolderFaults.fullDisk(small, 64 * 1024)) {
      disk.makeRoom();
      DurableState state = DurableState.open(small, EPOCH);
      state.nextBirthSeq();
      disk.fill();

      assertThat(state.nextBirthSeq()).isEqualTo(2);
      state.put(record(ESP, "esp32-a4cf12e0b3d1", "esp32"));

      assertThat(state.writeFailures()).isEqualTo(2);
      DurableState meanwhile = DurableState.open(small, EPOCH);
      assertThat(meanwhile.birthSeq()).isEqualTo(1);
      assertThat(corruptCopies(small, "state.json")).isEmpty();
      disk.makeRoom();
      state.retryWrites();
      assertThat(DurableState.open(small, EPOCH).device(ESP)).isPresent();
      assertThat(DurableState.open(small, EPOCH).birthSeq()).isEqualTo(2);
    }
  }

  @Test
  void aChangeAppendsOneLineAndDoesNotRewriteTheGatewaysState() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    // 250 changes of 100 devices: a snapshot at the 201st, 49 lines in the journal after it
    for (int i = 0; i < 250; i++) {
      state.put(record("tcp://127.0.0.1:" + (7000 + i % 100), "esp32-" + i % 100, "esp32"));
    }
    Path journal = dir.resolve("state.journal");
    long snapshotBefore = Files.size(dir.resolve("state.json"));
    long journalBefore = Files.size(journal);
    long linesBefore = Files.readAllLines(journal).size();

    DeviceRecord changed = record(ESP, "esp32-0", "esp32").withApplied(9, "ab".repeat(32));
    state.put(changed);

    assertThat(Files.readAllLines(journal)).hasSize((int) linesBefore + 1);
    assertThat(Files.size(journal) - journalBefore).isLessThan(1024);
    assertThat(Files.size(dir.resolve("state.json"))).isEqualTo(snapshotBefore);
    assertThat(DurableState.open(dir, EPOCH).device(ESP)).contains(changed);
  }

  @Test
  void theJournalIsFoldedIntoTheSnapshotSoTheDiskStaysBounded() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    for (int generation = 1; generation <= 30; generation++) {
      for (int device = 0; device < 10; device++) {
        state.put(esp(device).withApplied(generation, null));
      }
    }

    assertThat(Files.readAllLines(dir.resolve("state.journal")))
        .hasSizeLessThanOrEqualTo(DurableState.COMPACT_MIN);
    DurableState reopened = DurableState.open(dir, EPOCH);
    for (int device = 0; device < 10; device++) {
      assertThat(reopened.device(esp(device).link())).contains(esp(device).withApplied(30, null));
    }
  }

  /** A crash in the middle of an append: the change that had not returned is lost, no other. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000",
        "d1e2f3a4 {\"seq\": 3, \"dev",
        "00000000 {\"seq\": 3}\n",
        "\u0000\u0000\u0000"
      })
  void aTornLastLineIsDroppedAndTheNextWriteIsASnapshot(String torn) throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    state.put(esp(0).withApplied(1, null));
    state.put(esp(0).withApplied(2, null));
    Files.writeString(dir.resolve("state.journal"), torn, StandardOpenOption.APPEND);

    DurableState reopened = DurableState.open(dir, EPOCH);
    assertThat(reopened.device(esp(0).link())).contains(esp(0).withApplied(2, null));
    reopened.put(esp(1));

    assertThat(Files.readString(dir.resolve("state.journal"))).isEmpty();
    DurableState again = DurableState.open(dir, EPOCH);
    assertThat(again.device(esp(0).link())).contains(esp(0).withApplied(2, null));
    assertThat(again.device(esp(1).link())).contains(esp(1));
    again.put(esp(1).withApplied(3, null));
    assertThat(DurableState.open(dir, EPOCH).device(esp(1).link()))
        .contains(esp(1).withApplied(3, null));
  }

  @Test
  void aLineWhoseChecksumDoesNotMatchEndsTheJournal() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    state.put(esp(0).withApplied(1, null));
    state.put(esp(0).withApplied(2, null));
    Path journal = dir.resolve("state.journal");
    String content = Files.readString(journal);
    int last = content.lastIndexOf("\"appliedGeneration\":2");
    Files.writeString(
        journal,
        content.substring(0, last) + "\"appliedGeneration\":7" + content.substring(last + 21));

    assertThat(DurableState.open(dir, EPOCH).device(esp(0).link()))
        .contains(esp(0).withApplied(1, null));
  }

  /**
   * The snapshot was renamed into place but the journal not yet emptied: its lines are older than
   * the snapshot and must not be replayed over it, and later lines appended after them must be.
   */
  @Test
  void aCrashBetweenTheSnapshotAndEmptyingTheJournalReplaysNothingOld() throws IOException {
    DurableState state = DurableState.open(dir, EPOCH);
    for (int generation = 1; generation <= DurableState.COMPACT_MIN; generation++) {
      state.put(esp(0).withApplied(generation, null));
    }
    Path journal = dir.resolve("state.journal");
    byte[] beforeTheSnapshot = Files.readAllBytes(journal);
    assertThat(dir.resolve("state.json")).doesNotExist();
    state.put(esp(0).withApplied(100, null));
    assertThat(dir.resolve("state.json")).exists();
    Files.write(journal, beforeTheSnapshot);

    DurableState reopened = DurableState.open(dir, EPOCH);
    assertThat(reopened.device(esp(0).link())).contains(esp(0).withApplied(100, null));
    reopened.put(esp(0).withApplied(101, null));
    assertThat(DurableState.open(dir, EPOCH).device(esp(0).link()))
        .contains(esp(0).withApplied(101, null));
  }

  @Test
  void changesFromManyThreadsAreAllOnDiskWhenTheyReturn() throws Exception {
    DurableState state = DurableState.open(dir, EPOCH);
    int threads = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int device = t;
        done.add(
            pool.submit(
                () -> {
                  for (int generation = 1; generation <= 200; generation++) {
                    state.put(esp(device).withApplied(generation, null));
                    if (generation % 50 == 0) {
                      state.nextBirthSeq();
                    }
                  }
                }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    DurableState reopened = DurableState.open(dir, EPOCH);
    for (int device = 0; device < threads; device++) {
      assertThat(reopened.device(esp(device).link())).contains(esp(device).withApplied(200, null));
    }
    assertThat(reopened.birthSeq()).isEqualTo(4L * threads);
    assertThat(state.writeFailures()).isZero();
  }

  private static DeviceRecord esp(int n) {
    return record("tcp://127.0.0.1:" + (7001 + n), "esp32-" + n, "esp32");
  }

  /** Enough changes that the last one writes a snapshot holding {@code record}. */
  private void compact(DurableState state, DeviceRecord record) {
    for (int i = 0; i <= DurableState.COMPACT_MIN; i++) {
      state.put(record);
    }
    assertThat(dir.resolve("state.json")).exists();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private List<Path> corruptCopies(String name) throws IOException {
    return corruptCopies(dir, name);
  }

  /** Newest first. */
  private static List<Path> corruptCopies(Path folder, String name) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(name + ".corrupt-"))
          .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
          .toList();
    }
  }

  private static DeviceRecord record(String link, String id, String chip) {
    return new DeviceRecord(
        link,
        id,
        chip,
        "1.0.0+idf5.2",
        new Capabilities(List.of("FULLY_CONNECTED", "SOFTMAX"), 98304, 524288),
        0,
        null,
        new Slots("A", new ModelRef("vibration", "1.2.0", "c".repeat(64), 4096), null));
  }
}
