package io.fieldproof.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelChunksTest {

  @Test
  void splitsIntoChunksThatConcatenateToTheModelAndMatchTheirDigests() {
    byte[] model = ModelManifestTest.model(40_000);

    ModelChunks.Split split = ModelChunks.split(model, "vib", "1.4.0");

    ModelManifest manifest = split.manifest();
    assertThat(manifest.chunkSize()).isEqualTo(16 * 1024);
    assertThat(manifest.size()).isEqualTo(40_000);
    assertThat(manifest.sha256()).isEqualTo(Sha256.hex(model));
    assertThat(split.chunks()).extracting(c -> c.length).containsExactly(16384, 16384, 7232);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < split.chunks().size(); i++) {
      byte[] chunk = split.chunks().get(i);
      assertThat(manifest.chunks().get(i)).isEqualTo(Sha256.hex(chunk));
      assertThat(ModelChunks.check(manifest, i, chunk)).isEqualTo(ChunkCheck.VALID);
      joined.writeBytes(chunk);
    }
    assertThat(joined.toByteArray()).isEqualTo(model);
  }

  @Test
  void aModelOfWholeChunksHasNoEmptyLastChunk() {
    ModelChunks.Split split = ModelChunks.split(ModelManifestTest.model(4096), 1024, null, null);

    assertThat(split.chunks()).hasSize(4).allMatch(c -> c.length == 1024);
    assertThat(split.manifest().chunkLength(3)).isEqualTo(1024);
  }

  @Test
  void checksAChunkAgainstTheManifest() {
    ModelChunks.Split split = ModelChunks.split(ModelManifestTest.model(5_000), 2048, null, null);
    ModelManifest manifest = split.manifest();
    byte[] flipped = split.chunks().get(1).clone();
    flipped[100] ^= 1;

    assertThat(ModelChunks.check(manifest, 1, flipped)).isEqualTo(ChunkCheck.DIGEST_MISMATCH);
    assertThat(ModelChunks.check(manifest, 0, split.chunks().get(1)))
        .isEqualTo(ChunkCheck.DIGEST_MISMATCH);
    assertThat(ModelChunks.check(manifest, 2, Arrays.copyOf(split.chunks().get(2), 2048)))
        .isEqualTo(ChunkCheck.WRONG_LENGTH);
    assertThat(ModelChunks.check(manifest, 3, split.chunks().get(2)))
        .isEqualTo(ChunkCheck.OUT_OF_RANGE);
    assertThat(ModelChunks.check(manifest, -1, split.chunks().get(0)))
        .isEqualTo(ChunkCheck.OUT_OF_RANGE);
    assertThat(ModelChunks.check(manifest, 2, split.chunks().get(2))).isEqualTo(ChunkCheck.VALID);
  }

  @Test
  void refusesWhatTheContractCannotCarry() {
    assertThatThrownBy(() -> ModelChunks.split(new byte[0], "vib", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be between 1");
    assertThatThrownBy(
            () -> ModelChunks.split(new byte[(int) ModelManifest.MAX_MODEL_BYTES + 1], "vib", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be between 1");
    assertThatThrownBy(() -> ModelChunks.split(new byte[10], 100, "vib", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize must be between 1024");
    assertThatThrownBy(() -> ModelChunks.split(new byte[10], 0, "vib", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLargestModelFitsWithTheDefaultChunkSize() {
    ModelChunks.Split split =
        ModelChunks.split(new byte[(int) ModelManifest.MAX_MODEL_BYTES], "big", "1.0.0");

    assertThat(split.chunks()).hasSize(256);
    assertThat(split.manifest().problems()).isEmpty();
  }
}
