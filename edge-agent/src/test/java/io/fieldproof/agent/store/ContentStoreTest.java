package io.fieldproof.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.ModelChunks;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

  private static final long BUDGET = 1024 * 1024;

  @TempDir Path stateDir;

  @Test
  void assemblesVerifiedChunksIntoAFileNamedByItsSha256() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    byte[] model = bytes(5_000, 1);
    ModelChunks.Split split = ModelChunks.split(model, 2048, "m", "1.0.0");

    Path file = storeComplete(store, split);

    assertThat(file).isEqualTo(stateDir.resolve("models").resolve(Sha256.hex(model)));
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
    assertThat(store.find(Sha256.hex(model))).contains(file);
    assertThat(stateDir.resolve("models/.partial").resolve(Sha256.hex(model))).doesNotExist();
    assertThat(store.usedBytes()).isEqualTo(5_000);
  }

  @Test
  void aFileThatNoLongerMatchesItsNameIsDeletedAndMissing() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    byte[] model = bytes(3_000, 2);
    Path file = storeComplete(store, ModelChunks.split(model, 1024, null, null));
    byte[] rotten = model.clone();
    rotten[1234] ^= 0x10;
    Files.write(file, rotten);

    assertThat(store.find(Sha256.hex(model))).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void chunksThatDoNotMakeTheModelAreDeletedWhenAssembled() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    ModelChunks.Split split = ModelChunks.split(bytes(3_000, 3), 1024, null, null);
    ModelManifest lying =
        ModelManifest.of(
            Sha256.hex(bytes(3_000, 4)), 3_000, 1024, split.manifest().chunks(), null, null);
    PartialModel partial = store.partial(lying.sha256());
    for (int i = 0; i < split.chunks().size(); i++) {
      partial.put(i, split.chunks().get(i));
    }

    assertThat(store.assemble(lying)).isEmpty();
    assertThat(partial.held()).isEmpty();
    assertThat(store.find(lying.sha256())).isEmpty();
    assertThat(store.usedBytes()).isZero();
  }

  @Test
  void assemblingWithAChunkMissingFailsAndKeepsTheOthers() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    ModelChunks.Split split = ModelChunks.split(bytes(3_000, 5), 1024, null, null);
    PartialModel partial = store.partial(split.manifest().sha256());
    partial.put(0, split.chunks().get(0));
    partial.put(2, split.chunks().get(2));

    assertThatThrownBy(() -> store.assemble(split.manifest()))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(partial.held()).containsExactly(0, 2);
  }

  @Test
  void partialChunksSurviveAReopenAndHalfWrittenFilesDoNot() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    ModelChunks.Split split = ModelChunks.split(bytes(5_000, 6), 1024, null, null);
    String sha = split.manifest().sha256();
    store.partial(sha).put(0, split.chunks().get(0));
    store.partial(sha).put(3, split.chunks().get(3));
    Path partialDir = stateDir.resolve("models/.partial").resolve(sha);
    Files.write(partialDir.resolve("1.tmp"), new byte[10]);
    Files.write(stateDir.resolve("models").resolve(sha + ".tmp"), new byte[10]);

    ContentStore reopened = ContentStore.open(stateDir, BUDGET);

    assertThat(reopened.partial(sha).held()).containsExactly(0, 3);
    assertThat(reopened.partial(sha).read(3)).isEqualTo(split.chunks().get(3));
    assertThat(partialDir.resolve("1.tmp")).doesNotExist();
    assertThat(stateDir.resolve("models").resolve(sha + ".tmp")).doesNotExist();
  }

  @Test
  void garbageCollectionKeepsOnlyWhatIsAsked() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);
    ModelChunks.Split running = ModelChunks.split(bytes(2_000, 7), 1024, null, null);
    ModelChunks.Split old = ModelChunks.split(bytes(3_000, 8), 1024, null, null);
    ModelChunks.Split next = ModelChunks.split(bytes(4_000, 9), 1024, null, null);
    ModelChunks.Split abandoned = ModelChunks.split(bytes(5_000, 10), 1024, null, null);
    storeComplete(store, running);
    storeComplete(store, old);
    store.partial(next.manifest().sha256()).put(0, next.chunks().get(0));
    store.partial(abandoned.manifest().sha256()).put(1, abandoned.chunks().get(1));

    GcReport report =
        store.retainOnly(Set.of(running.manifest().sha256(), next.manifest().sha256()));

    assertThat(report.deleted())
        .containsExactlyInAnyOrder(old.manifest().sha256(), abandoned.manifest().sha256());
    assertThat(report.freedBytes()).isEqualTo(3_000 + 1024);
    assertThat(report.usedBytes()).isEqualTo(2_000 + 1024);
    assertThat(store.find(running.manifest().sha256())).isPresent();
    assertThat(store.find(old.manifest().sha256())).isEmpty();
    assertThat(store.partial(next.manifest().sha256()).held()).containsExactly(0);
    assertThat(store.partial(abandoned.manifest().sha256()).held()).isEmpty();

    GcReport all = store.retainOnly(Set.of());

    assertThat(all.deleted())
        .containsExactlyInAnyOrder(running.manifest().sha256(), next.manifest().sha256());
    assertThat(all.usedBytes()).isZero();
    try (var left = Files.list(stateDir.resolve("models"))) {
      assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly(".partial");
    }
  }

  @Test
  void theBudgetCountsEverythingHeldButAModelOnlyOnce() throws IOException {
    ContentStore store = ContentStore.open(stateDir, 10_000);
    ModelChunks.Split held = ModelChunks.split(bytes(6_000, 11), 1024, null, null);
    ModelChunks.Split half = ModelChunks.split(bytes(4_000, 12), 1024, null, null);
    storeComplete(store, held);
    store.partial(half.manifest().sha256()).put(0, half.chunks().get(0));

    assertThat(store.fits(half.manifest().sha256(), 4_000)).isTrue();
    assertThat(store.fits(Sha256.hex(new byte[1]), 4_000)).isFalse();
    assertThat(store.fits(Sha256.hex(new byte[1]), 2_976)).isTrue();
    assertThat(store.fits(held.manifest().sha256(), 10_000 - 1024)).isTrue();
  }

  @Test
  void refusesNamesThatAreNotSha256() throws IOException {
    ContentStore store = ContentStore.open(stateDir, BUDGET);

    assertThatThrownBy(() -> store.find("../state.json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.partial("A".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Path storeComplete(ContentStore store, ModelChunks.Split split)
      throws IOException {
    PartialModel partial = store.partial(split.manifest().sha256());
    List<byte[]> chunks = split.chunks();
    for (int i = 0; i < chunks.size(); i++) {
      partial.put(i, chunks.get(i));
    }
    return store.assemble(split.manifest()).orElseThrow();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
