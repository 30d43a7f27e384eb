package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GitOps example under {@code gitops/}: the base and each overlay build with kubectl's
 * kustomize, put every object in the overlay's namespace, change only what the overlay says, and
 * pass a server-side dry run against the real API server (schema, CEL rules and all); the Flux and
 * Argo CD examples point at paths that exist.
 */
class GitopsLayoutTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = ProjectPaths.root();

  @ParameterizedTest(name = "{0}")
  @CsvSource({"staging, fieldproof-staging", "production, fieldproof-production"})
  void overlayPassesAServerSideDryRun(String overlay, String namespace) throws IOException {
    LocalControlPlane plane = LocalControlPlane.shared();
    plane.createNamespace(namespace);
    String yaml = kustomize("gitops/overlays/" + overlay);
    Path manifest = Files.createTempFile("overlay", ".yaml");
    try {
      Files.writeString(manifest, yaml);

      Kubectl.Result run =
          kubectl().exec("apply", "--server-side", "--dry-run=server", "-f", manifest.toString());

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout().lines().filter(l -> l.endsWith("(server dry run)")))
          .hasSize(parse(yaml).size());
    } finally {
      Files.deleteIfExists(manifest);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"staging, fieldproof-staging", "production, fieldproof-production"})
  void overlayPutsEveryObjectInItsNamespaceWithItsLabel(String overlay, String namespace) {
    List<JsonNode> objects = build("gitops/overlays/" + overlay);

    assertThat(kinds(objects))
        .containsExactlyInAnyOrder("ConfigMap", "DeviceGroup", "ModelRollout", "Namespace");
    for (JsonNode object : objects) {
      JsonNode metadata = object.get("metadata");
      String where =
          object.get("kind").asText().equals("Namespace")
              ? metadata.get("name").asText()
              : metadata.path("namespace").asText();
      assertThat(where).as(metadata.get("name").asText()).isEqualTo(namespace);
      assertThat(metadata.path("labels").path("fieldproof.io/environment").asText())
          .isEqualTo(overlay);
    }
  }

  @Test
  void theBaseHasTheSamplesAndNoNamespace() {
    List<JsonNode> base = build("gitops/base");

    assertThat(base).hasSize(sampleFiles().size());
    assertThat(base).allMatch(o -> o.get("metadata").path("namespace").isMissingNode());
  }

  @Test
  void stagingRunsAShortCanaryAndProductionTheSamplesSteps() {
    for (JsonNode rollout : rollouts(build("gitops/overlays/staging"))) {
      assertThat(rollout.at("/spec/strategy/steps").toString())
          .isEqualTo(
              "[{\"setPercent\":50},{\"pause\":{\"duration\":\"2m\"}},{\"setPercent\":100}]");
      assertThat(rollout.at("/spec/strategy/deviceTimeout").asText()).isEqualTo("5m");
    }
    List<JsonNode> base = rollouts(build("gitops/base"));
    List<JsonNode> production = rollouts(build("gitops/overlays/production"));
    assertThat(production).hasSameSizeAs(base).isNotEmpty();
    for (int i = 0; i < base.size(); i++) {
      assertThat(production.get(i).get("spec")).isEqualTo(base.get(i).get("spec"));
    }
  }

  @Test
  void theSamplesKustomizationListsEverySampleFile() {
    Set<String> listed = new TreeSet<>();
    read(ROOT.resolve("samples/kustomization.yaml"))
        .get(0)
        .get("resources")
        .forEach(r -> listed.add(r.asText()));

    assertThat(listed).containsExactlyInAnyOrderElementsOf(sampleFiles());
  }

  @Test
  void theFluxAndArgoCdExamplesPointAtPathsThatExist() {
    List<JsonNode> flux = read(ROOT.resolve("gitops/flux/fieldproof.yaml"));
    List<String> paths = new ArrayList<>();
    flux.stream()
        .filter(o -> o.get("kind").asText().equals("Kustomization"))
        .forEach(o -> paths.add(o.at("/spec/path").asText()));
    read(ROOT.resolve("gitops/argocd/application-staging.yaml"))
        .forEach(o -> paths.add(o.at("/spec/source/path").asText()));

    assertThat(paths).hasSize(4);
    assertThat(paths).allMatch(p -> Files.isDirectory(ROOT.resolve(p)), "existing folders");
    assertThat(flux.get(3).at("/spec/dependsOn/0/name").asText()).isEqualTo("fieldproof-staging");
  }

  private static List<String> sampleFiles() {
    List<String> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(ROOT.resolve("samples"), 2)) {
      all.filter(f -> f.getParent().getParent().equals(ROOT.resolve("samples")))
          .filter(f -> !f.getParent().getFileName().toString().equals("invalid"))
          .filter(f -> f.toString().endsWith(".yaml"))
          .forEach(f -> files.add(ROOT.resolve("samples").relativize(f).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static List<JsonNode> build(String folder) {
    return parse(kustomize(folder));
  }

  private static String kustomize(String folder) {
    return kubectl().run("kustomize", ROOT.resolve(folder).toString());
  }

  private static List<JsonNode> parse(String yaml) {
    try {
      return YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> read(Path file) {
    try {
      return YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll().stream()
          .filter(o -> !o.isNull() && !o.isMissingNode())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> kinds(List<JsonNode> objects) {
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add(o.get("kind").asText()));
    return kinds;
  }

  private static List<JsonNode> rollouts(List<JsonNode> objects) {
    return objects.stream().filter(o -> o.get("kind").asText().equals("ModelRollout")).toList();
  }

  private static Kubectl kubectl() {
    return LocalControlPlane.shared().kubectl();
  }
}
