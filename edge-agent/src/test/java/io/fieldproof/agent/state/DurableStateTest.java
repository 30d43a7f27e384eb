package io.fieldproof.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStateTest {

  @TempDir Path dir;

  @Test
  void aNewStateStartsAtBirthSeqZero() throws IOException {
    DurableState state = DurableState.open(dir.resolve("new/state"));

    assertThat(state.birthSeq()).isZero();
    assertThat(state.device("tcp://127.0.0.1:7001")).isEmpty();
  }

  @Test
  void theBirthSeqIncrementsAndSurvivesAReopen() throws IOException {
    DurableState state = DurableState.open(dir);

    assertThat(state.nextBirthSeq()).isEqualTo(1);
    assertThat(state.nextBirthSeq()).isEqualTo(2);

    DurableState reopened = DurableState.open(dir);
    assertThat(reopened.birthSeq()).isEqualTo(2);
    assertThat(reopened.nextBirthSeq()).isEqualTo(3);
    assertThat(DurableState.open(dir).birthSeq()).isEqualTo(3);
  }

  @Test
  void deviceRecordsSurviveAReopenAndAreReplacedByLink() throws IOException {
    DurableState state = DurableState.open(dir);
    DeviceRecord esp = record("tcp://127.0.0.1:7001", "esp32-a4cf12e0b3d1", "esp32");
    DeviceRecord stm = record("tcp://127.0.0.1:7002", "stm32-0123456789abcdef01234567", "stm32f4");
    state.put(esp);
    state.put(stm);
    DeviceRecord applied = esp.withApplied(7, "ab".repeat(32));
    state.put(applied);

    DurableState reopened = DurableState.open(dir);

    assertThat(reopened.device(esp.link())).contains(applied);
    assertThat(reopened.device(stm.link())).contains(stm);
    assertThat(reopened.device("tcp://127.0.0.1:7003")).isEmpty();
    assertThat(reopened.birthSeq()).isZero();
  }

  @Test
  void savingLeavesNoTemporaryFileBehind() throws IOException {
    DurableState state = DurableState.open(dir);
    state.nextBirthSeq();
    state.put(record("tcp://127.0.0.1:7001", "esp32-a4cf12e0b3d1", "esp32"));

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
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
