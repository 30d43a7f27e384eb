package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Flux health expressions of {@code gitops/flux/fieldproof.yaml} (a Kustomization's
 * healthCheckExprs), evaluated by cel-go as Flux evaluates them ({@code test/gitops/celcheck}),
 * against the fixtures of the Argo CD health checks: both tools must agree on every object. Argo CD
 * Healthy is Flux Current, Degraded is Failed, Progressing and Suspended are InProgress; an object
 * without status cannot be evaluated, so Flux waits.
 */
class FluxHealthTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = ProjectPaths.root();
  private static final Path CUSTOMIZATIONS =
      ROOT.resolve("gitops/argocd/resource_customizations/fieldproof.io");

  private static Path celcheck;

  @BeforeAll
  static void buildCelcheck() {
    RequiredTool.find("go", "install Go 1.24+ (it builds test/gitops/celcheck)");
    ProcessRun build =
        ProcessRun.of(
            List.of("bash", ROOT.resolve("test/gitops/build-celcheck.sh").toString()),
            Map.of(),
            Duration.ofMinutes(8));
    assertThat(build.exitCode()).as(build.describe()).isZero();
    List<String> lines = build.stdout().lines().toList();
    celcheck = Path.of(lines.get(lines.size() - 1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DeviceGroup", "ModelRollout"})
  void fluxAgreesWithArgoCdOnEveryFixture(String kind) throws IOException {
    JsonNode exprs = expressions(kind);
    List<JsonNode> tests = new ArrayList<>();
    yaml(CUSTOMIZATIONS.resolve(kind).resolve("health_test.yaml")).get("tests").forEach(tests::add);
    ObjectNode request = JSON.createObjectNode();
    List.of("inProgress", "failed", "current")
        .forEach(k -> request.put(k, exprs.path(k).asText("")));
    ArrayNode objects = request.putArray("objects");
    tests.forEach(t -> objects.add(fixture(kind, t)));

    ProcessRun run = celcheck(request);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    List<String> results = run.stdout().lines().toList();
    assertThat(results).hasSameSizeAs(tests);
    for (int i = 0; i < tests.size(); i++) {
      JsonNode test = tests.get(i);
      String argo = test.at("/healthStatus/status").asText();
      String input = test.get("inputPath").asText();
      if (!objects.get(i).has("status")) {
        assertThat(results.get(i)).as(input).startsWith("Error: no such attribute");
      } else {
        assertThat(results.get(i)).as(input + " (Argo CD: " + argo + ")").isEqualTo(flux(argo));
      }
    }
  }

  @Test
  void theDocsShowTheExpressionsOfTheExample() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/gitops.md")).replaceAll("\\s+", " ");
    for (String kind : List.of("DeviceGroup", "ModelRollout")) {
      JsonNode exprs = expressions(kind);
      exprs
          .fieldNames()
          .forEachRemaining(
              k -> {
                if (!k.equals("apiVersion") && !k.equals("kind")) {
                  assertThat(docs).contains(exprs.get(k).asText().replaceAll("\\s+", " "));
                }
              });
    }
  }

  private static String flux(String argo) {
    return switch (argo) {
      case "Healthy" -> "Current";
      case "Degraded" -> "Failed";
      default -> "InProgress";
    };
  }

  /** The staging Kustomization's healthCheckExprs entry of a kind. */
  private static JsonNode expressions(String kind) {
    try {
      for (JsonNode doc :
          YAML.readValues(
                  YAML.createParser(ROOT.resolve("gitops/flux/fieldproof.yaml").toFile()),
                  JsonNode.class)
              .readAll()) {
        if (doc.at("/metadata/name").asText().equals("fieldproof-staging")) {
          for (JsonNode entry : doc.at("/spec/healthCheckExprs")) {
            if (entry.get("kind").asText().equals(kind)) {
              return entry;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no healthCheckExprs for " + kind + " in gitops/flux/fieldproof.yaml");
  }

  private static JsonNode fixture(String kind, JsonNode test) {
    return yaml(CUSTOMIZATIONS.resolve(kind).resolve(test.get("inputPath").asText()));
  }

  private static ProcessRun celcheck(ObjectNode request) throws IOException {
    Path input = Files.createTempFile("celcheck", ".json");
    try {
      Files.writeString(input, request.toString());
      return ProcessRun.of(
          List.of("sh", "-c", "exec \"$0\" < \"$1\"", celcheck.toString(), input.toString()),
          Map.of(),
          Duration.ofSeconds(30));
    } finally {
      Files.deleteIfExists(input);
    }
  }

  private static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
