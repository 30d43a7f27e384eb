package io.fieldproof.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelManifestTest {

  private static final String NS = "plant-a";

  @Test
  void roundTripsThroughTheCodecOnItsOwnTopic() throws InvalidMessageException {
    ModelChunks.Split split = ModelChunks.split(model(40_000), 16 * 1024, "vib", "1.4.0");
    ModelManifest manifest = split.manifest();
    Topic topic = Topic.modelManifest(NS, manifest.sha256());

    ModelManifest decoded = MessageCodec.decodeManifest(topic, MessageCodec.encode(manifest));

    assertThat(decoded).isEqualTo(manifest);
    assertThat(Topic.parse(topic.path())).contains(topic);
    assertThat(topic.path())
        .isEqualTo("fieldproof/v2/plant-a/models/" + manifest.sha256() + "/manifest");
    assertThat(new String(MessageCodec.encode(manifest), StandardCharsets.UTF_8))
        .startsWith("{\"v\":1,\"sha256\":\"" + manifest.sha256() + "\",\"size\":40000,");
  }

  @Test
  void aManifestWithoutNameOrVersionIsValid() throws InvalidMessageException {
    ModelManifest manifest = ModelChunks.split(model(2_000), 1024, null, null).manifest();
    Topic topic = Topic.modelManifest(NS, manifest.sha256());

    assertThat(MessageCodec.decodeManifest(topic, MessageCodec.encode(manifest)).name()).isNull();
  }

  @Test
  void rejectsBadManifestsWithTheirReasons() {
    ModelManifest good = ModelChunks.split(model(5_000), 2048, "vib", "1.4.0").manifest();
    List<String> three = good.chunks();

    assertProblem(
        ModelManifest.of("ABC", 5_000, 2048, three, null, null), "sha256 must be 64 lower-case");
    assertProblem(
        ModelManifest.of(good.sha256(), 0, 2048, List.of(), null, null),
        "size must be between 1 and 4194304");
    assertProblem(
        ModelManifest.of(good.sha256(), 5_000_000, 48 * 1024, digests(102), null, null),
        "size must be between 1 and 4194304");
    assertProblem(
        ModelManifest.of(good.sha256(), 5_000, 512, digests(10), null, null),
        "chunkSize must be between 1024 and 49152");
    assertProblem(
        ModelManifest.of(good.sha256(), 5_000, 64 * 1024, digests(1), null, null),
        "chunkSize must be between 1024 and 49152");
    assertProblem(
        ModelManifest.of(good.sha256(), 5_000, 2048, three.subList(0, 2), null, null),
        "chunks lists 2 digests but 5000 bytes in chunks of 2048 make 3");
    assertProblem(
        ModelManifest.of(good.sha256(), 1024 * 1024, 1024, digests(1024), null, null),
        "at most 512 chunks");
    assertProblem(
        ModelManifest.of(
            good.sha256(), 5_000, 2048, List.of(three.get(0), "xyz", three.get(2)), null, null),
        "chunks[1] must be 64 lower-case hex digits");
    assertProblem(
        ModelManifest.of(good.sha256(), 5_000, 2048, Collections.nCopies(3, null), null, null),
        "chunks[2] must be 64 lower-case hex digits");
    assertThat(good.problems()).isEmpty();
  }

  @Test
  void theCodecDropsBadManifestsWithAReason() {
    ModelManifest manifest = ModelChunks.split(model(3_000), 1024, "vib", "1.4.0").manifest();
    Topic topic = Topic.modelManifest(NS, manifest.sha256());
    Topic otherModel = Topic.modelManifest(NS, "0".repeat(64));
    String wrongCount =
        "{\"v\":1,\"sha256\":\""
            + manifest.sha256()
            + "\",\"size\":3000,\"chunkSize\":1024,\"chunks\":[\""
            + manifest.chunks().get(0)
            + "\"]}";

    assertDropped(otherModel, MessageCodec.encode(manifest), DropReason.IDENTITY_MISMATCH);
    assertDropped(topic, wrongCount.getBytes(StandardCharsets.UTF_8), DropReason.INVALID_FIELD);
    assertDropped(
        topic,
        wrongCount.replace("\"size\":3000", "\"size\":\"big\"").getBytes(StandardCharsets.UTF_8),
        DropReason.INVALID_FIELD);
    assertDropped(
        topic,
        wrongCount.replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8),
        DropReason.WRONG_SCHEMA_VERSION);
    assertDropped(topic, "[]".getBytes(StandardCharsets.UTF_8), DropReason.MALFORMED_JSON);
    assertDropped(
        topic, new byte[TopicKind.MODEL_MANIFEST.maxPayloadBytes() + 1], DropReason.OVERSIZED);
    assertDropped(
        Topic.modelChunk(NS, manifest.sha256(), 0),
        MessageCodec.encode(manifest),
        DropReason.UNKNOWN_TOPIC);
  }

  @Test
  void theLargestManifestFitsItsTopic() {
    ModelManifest largest =
        ModelManifest.of(
            "a".repeat(64),
            ModelManifest.MAX_CHUNKS * 8192L,
            8192,
            digests(ModelManifest.MAX_CHUNKS),
            "n".repeat(63),
            "100.100.100");

    assertThat(largest.problems()).isEmpty();
    assertThat(MessageCodec.encode(largest).length)
        .isLessThan(TopicKind.MODEL_MANIFEST.maxPayloadBytes());
    assertThat(ModelManifest.MAX_CHUNK_SIZE).isLessThan(TopicKind.MODEL_CHUNK.maxPayloadBytes());
  }

  private static void assertProblem(ModelManifest manifest, String problem) {
    assertThat(manifest.problems()).as(manifest.toString()).anyMatch(p -> p.startsWith(problem));
  }

  private static void assertDropped(Topic topic, byte[] payload, DropReason reason) {
    assertThatThrownBy(() -> MessageCodec.decodeManifest(topic, payload))
        .isInstanceOfSatisfying(
            InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static byte[] model(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static List<String> digests(int count) {
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      digests.add(Sha256.hex(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    return digests;
  }
}
