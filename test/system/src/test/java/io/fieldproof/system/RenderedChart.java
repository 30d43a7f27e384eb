package io.fieldproof.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects {@code helm template} rendered, parsed from its multi-document YAML. */
record RenderedChart(List<JsonNode> objects) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static RenderedChart parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.hasNonNull("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template rendered invalid YAML", e);
    }
    return new RenderedChart(List.copyOf(objects));
  }

  Stream<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).filter(o -> name.equals(o.at("/metadata/name").asText())).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }

  /** The operator Deployment's pod spec. */
  JsonNode operatorPod() {
    return get("Deployment", FieldproofChart.FULLNAME).at("/spec/template/spec");
  }

  /** The operator container's environment, by variable name. */
  Map<String, JsonNode> operatorEnv() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    items(operatorPod().at("/containers/0/env")).forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  /** The objects as YAML documents again, without those of the kinds given. */
  String yamlWithout(String... kinds) {
    List<String> skipped = List.of(kinds);
    StringBuilder out = new StringBuilder();
    for (JsonNode object : objects) {
      if (!skipped.contains(object.path("kind").asText())) {
        try {
          out.append(YAML.writeValueAsString(object));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out.toString();
  }

  /** The elements of a JSON array (none for a missing node). */
  static Stream<JsonNode> items(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items.stream();
  }

  /** The texts of a JSON array of strings. */
  static List<String> texts(JsonNode array) {
    return items(array).map(JsonNode::asText).toList();
  }

  /** The element of a JSON array whose "name" is the one given. */
  static JsonNode named(JsonNode array, String name) {
    return items(array)
        .filter(item -> item.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing named " + name + " in " + array));
  }
}
