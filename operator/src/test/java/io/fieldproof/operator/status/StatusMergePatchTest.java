package io.fieldproof.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusMergePatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void removesWhatTheComputedStatusLeavesOutAtAnyDepthAndKeepsWhatIsEqualOut() throws Exception {
    JsonNode stored =
        JSON.readTree(
            """
            {"observedGeneration": 1, "activeRollout": "gone",
             "currentModel": {"name": "m", "version": "1.0.0"},
             "devices": {"total": 14, "online": 13, "incompatible": 2},
             "attention": [{"device": "a"}, {"device": "b"}]}
            """);
    JsonNode computed =
        JSON.readTree(
            """
            {"observedGeneration": 1,
             "devices": {"total": 0, "online": 0},
             "attention": []}
            """);

    JsonNode patch = StatusMergePatch.between(stored, computed);

    assertThat(patch)
        .isEqualTo(
            JSON.readTree(
                """
                {"activeRollout": null, "currentModel": null,
                 "devices": {"total": 0, "online": 0, "incompatible": null},
                 "attention": []}
                """));
    assertThat(applied(stored, patch)).as("the stored status once patched").isEqualTo(computed);
  }

  @Test
  void isTheWholeStatusWhenNoneIsStoredAndEmptyWhenNothingDiffers() throws Exception {
    JsonNode computed = JSON.readTree("{\"observedGeneration\": 2, \"devices\": {\"total\": 1}}");

    assertThat(StatusMergePatch.between(null, computed)).isEqualTo(computed);
    assertThat(StatusMergePatch.between(computed.deepCopy(), computed)).isEmpty();
  }

  /** RFC 7386's MergePatch(target, patch), as the API server applies it. */
  private static JsonNode applied(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject() ? target.deepCopy() : JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), applied(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
