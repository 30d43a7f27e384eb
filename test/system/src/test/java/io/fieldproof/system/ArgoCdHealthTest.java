package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health checks of both kinds ({@code gitops/argocd/resource_customizations}), run by a
 * real Lua 5.1 interpreter, the dialect of Argo CD's gopher-lua, against every case of their {@code
 * health_test.yaml} (Argo CD's own test format): each fixture object must give the expected status
 * and message; and each fixture's status is one the CRDs accept. Needs lua5.1 ({@code
 * test/gitops/setup-lua.sh}).
 */
class ArgoCdHealthTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ARGOCD = ProjectPaths.root().resolve("gitops/argocd");
  private static final Path CUSTOMIZATIONS =
      ARGOCD.resolve("resource_customizations/fieldproof.io");
  private static final List<String> KINDS = List.of("DeviceGroup", "ModelRollout");

  /** One case of a kind's health_test.yaml. */
  record Case(String kind, String input, String status, String message) {
    @Override
    public String toString() {
      return kind + " " + input;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String kind : KINDS) {
      for (JsonNode test :
          read(CUSTOMIZATIONS.resolve(kind).resolve("health_test.yaml")).get("tests")) {
        cases.add(
            new Case(
                kind,
                test.get("inputPath").asText(),
                test.get("healthStatus").get("status").asText(),
                test.get("healthStatus").get("message").asText()));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void healthOfTheFixtureIsTheExpectedOne(Case c) throws IOException {
    Path lua = RequiredTool.find("lua5.1", "run test/gitops/setup-lua.sh (apt-get install lua5.1)");
    Path dir = CUSTOMIZATIONS.resolve(c.kind());
    Path harness = Files.createTempFile("health", ".lua");
    try {
      Files.writeString(harness, harness(read(dir.resolve(c.input())), dir.resolve("health.lua")));
      ProcessRun run =
          ProcessRun.of(
              List.of(lua.toString(), harness.toString()), Map.of(), Duration.ofSeconds(20));

      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(run.stdout()).isEqualTo(c.status() + "\n" + c.message());
    } finally {
      Files.deleteIfExists(harness);
    }
  }

  @Test
  void everyPhaseAndEveryHealthHasACase() {
    Set<String> phases = new HashSet<>();
    Set<String> rolloutHealth = new HashSet<>();
    Set<String> groupHealth = new HashSet<>();
    cases()
        .forEach(
            c -> {
              JsonNode status =
                  read(CUSTOMIZATIONS.resolve(c.kind()).resolve(c.input())).path("status");
              if (c.kind().equals("ModelRollout")) {
                phases.add(status.path("phase").asText("none"));
                rolloutHealth.add(c.status());
              } else {
                groupHealth.add(c.status());
              }
            });

    assertThat(phases)
        .contains(
            "Pending", "Progressing", "Paused", "Succeeded", "Failed", "RolledBack", "Superseded");
    assertThat(rolloutHealth).contains("Progressing", "Suspended", "Healthy", "Degraded");
    assertThat(groupHealth).contains("Progressing", "Healthy", "Degraded");
  }

  @Test
  void everyFixtureIsACase() throws IOException {
    for (String kind : KINDS) {
      Set<String> used = new HashSet<>();
      cases().filter(c -> c.kind().equals(kind)).forEach(c -> used.add(c.input()));
      try (Stream<Path> files = Files.list(CUSTOMIZATIONS.resolve(kind).resolve("testdata"))) {
        assertThat(files.map(f -> "testdata/" + f.getFileName())).as(kind).allMatch(used::contains);
      }
    }
  }

  @Test
  void theArgocdConfigMapPatchCarriesTheScriptsVerbatim() throws IOException {
    JsonNode data = read(ARGOCD.resolve("argocd-cm-patch.yaml")).get("data");

    for (String kind : KINDS) {
      assertThat(data.get("resource.customizations.health.fieldproof.io_" + kind).asText())
          .as(kind)
          .isEqualTo(Files.readString(CUSTOMIZATIONS.resolve(kind).resolve("health.lua")));
    }
  }

  @Test
  void theFixturesStatusesAreValidForTheCrds() throws IOException {
    LocalControlPlane plane = LocalControlPlane.shared();
    String namespace = plane.createNamespace("argocd-health");
    Kubectl kubectl = plane.kubectl();
    List<Case> all = cases().toList();
    for (int i = 0; i < all.size(); i++) {
      Case c = all.get(i);
      ObjectNode obj = (ObjectNode) read(CUSTOMIZATIONS.resolve(c.kind()).resolve(c.input()));
      JsonNode status = obj.remove("status");
      ObjectNode metadata = (ObjectNode) obj.get("metadata");
      metadata.put("name", "case-" + i).remove(List.of("namespace", "generation"));
      kubectl.run("apply", "--server-side", "-n", namespace, "-f", temp(obj).toString());
      if (status != null) {
        ObjectNode patch = YAML.createObjectNode().set("status", status);
        String resource = c.kind().toLowerCase();
        Kubectl.Result result =
            kubectl.exec(
                "patch",
                resource,
                "case-" + i,
                "-n",
                namespace,
                "--subresource=status",
                "--type=merge",
                "--patch-file",
                temp(patch).toString());
        assertThat(result.exitCode()).as(c + ": " + result.stderr()).isZero();
      }
    }
  }

  private static Path temp(JsonNode node) throws IOException {
    Path file = Files.createTempFile("case", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, node.toString());
    return file;
  }

  /** Sets the global obj as Argo CD does, runs the script, prints status and message. */
  private static String harness(JsonNode obj, Path script) {
    return "obj = "
        + LuaLiteral.of(obj)
        + "\nlocal hs = dofile("
        + LuaLiteral.string(script.toString())
        + ")\nio.write(hs.status, \"\\n\", hs.message or \"\")\n";
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
