package io.fieldproof.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicTest {

  @Test
  void buildsAndParsesEveryKind() {
    for (Topic topic :
        new Topic[] {
          Topic.gatewayState("plant-a", "gw-3"),
          Topic.desired("plant-a", "gw-3", "esp32-a4cf12e0b3d1"),
          Topic.reported("plant-a", "gw-3", "esp32-a4cf12e0b3d1"),
          Topic.events("plant-a", "gw-3", "stm32-0031aabbccddeeff00112233"),
          Topic.modelManifest("plant-a", "a".repeat(64)),
          Topic.modelChunk("plant-a", "b".repeat(64), 17)
        }) {
      assertThat(Topic.parse(topic.path())).contains(topic);
    }
    assertThat(Topic.desired("plant-a", "gw-3", "esp32-a4cf12e0b3d1").path())
        .isEqualTo("fieldproof/v2/plant-a/gw/gw-3/dev/esp32-a4cf12e0b3d1/desired");
    assertThat(Topic.modelChunk("plant-a", "b".repeat(64), 17).path())
        .isEqualTo("fieldproof/v2/plant-a/models/" + "b".repeat(64) + "/chunks/17");
    assertThat(Topic.parse(Topic.modelChunk("plant-a", "b".repeat(64), 17).path()))
        .hasValueSatisfying(
            t -> {
              assertThat(t.sha256()).isEqualTo("b".repeat(64));
              assertThat(t.chunk()).isEqualTo(17);
              assertThat(t.device()).isNull();
            });
    assertThat(Topic.desired("plant-a", "gw-3", "esp32-a4cf12e0b3d1").sha256()).isNull();
  }

  @Test
  void theGatewayIsInEveryDeviceTopic() {
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/dev/esp32-a4cf12e0b3d1/reported"))
        .hasValueSatisfying(
            t -> {
              assertThat(t.kind()).isEqualTo(TopicKind.REPORTED);
              assertThat(t.gateway()).isEqualTo("gw-3");
              assertThat(t.device()).isEqualTo("esp32-a4cf12e0b3d1");
            });
    assertThat(Topic.gatewayState("plant-a", "gw-3").device()).isNull();
    assertThat(Topic.deviceFilter("plant-a", TopicKind.EVENTS))
        .isEqualTo("fieldproof/v2/plant-a/gw/+/dev/+/events");
  }

  @Test
  void rejectsWhatIsNotInTheContract() {
    assertThat(Topic.parse("fieldproof/v1/plant-a/gw/gw-3/state")).isEmpty();
    assertThat(Topic.parse("fieldproof/v1/plant-a/dev/esp32-a4cf12e0b3d1/reported")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/dev/esp32-a4cf12e0b3d1/reported")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/Plant_A/gw/gw-3/state")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/status")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/dev/esp32-x/whatever")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/dev/+/reported")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/+/dev/esp32-x/reported")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/dev/a/b/reported")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/gw/gw-3/state/x")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/models/notasha/manifest")).isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/models/" + "A".repeat(64) + "/manifest"))
        .isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/models/" + "a".repeat(64) + "/chunks/-1"))
        .isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/models/" + "a".repeat(64) + "/chunks/x"))
        .isEmpty();
    assertThat(Topic.parse("fieldproof/v2/plant-a/models/" + "a".repeat(64) + "/chunks")).isEmpty();
    assertThat(Topic.parse(null)).isEmpty();
  }
}
