package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fieldproof.api.v1alpha1.AttentionItem;
import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names users read in the CRD descriptions and docs are the names the code emits: the attention
 * reasons in their order, and every gate metric, in the CRD and in docs/rollouts.md.
 */
class DocumentedNamesTest {

  @Test
  void theAttentionReasonsDescribedAreTheOnesEmittedWorstFirst() throws Exception {
    String described = description(AttentionItem.class, "reason");

    List<String> named = new ArrayList<>();
    Matcher words = Pattern.compile("[A-Z][A-Za-z]+").matcher(described.split(":", 2)[1]);
    while (words.find()) {
      named.add(words.group());
    }

    assertThat(named)
        .as("status.attention[].reason's description, in order")
        .containsExactlyElementsOf(
            Arrays.stream(AttentionReason.values()).map(AttentionReason::wireName).toList());
  }

  @Test
  void everyGateMetricIsDescribedInTheCrdAndInTheRolloutsGuide() throws Exception {
    String described = description(GateRule.class, "metric");
    String guide = Files.readString(ProjectPaths.root().resolve("docs/rollouts.md"));

    for (GateRule.Metric metric : GateRule.Metric.values()) {
      String name =
          GateRule.Metric.class.getField(metric.name()).getAnnotation(JsonProperty.class).value();
      assertThat(described).as("the CRD description of metric").contains(name);
      assertThat(guide).as("docs/rollouts.md").contains("`" + name);
    }
  }

  private static String description(Class<?> type, String field)
      throws NoSuchFieldException, IOException {
    return type.getField(field).getAnnotation(JsonPropertyDescription.class).value();
  }
}
