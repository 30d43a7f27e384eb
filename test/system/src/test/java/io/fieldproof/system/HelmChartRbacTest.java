package io.fieldproof.system;

import static io.fieldproof.system.FieldproofChart.FULLNAME;
import static io.fieldproof.system.RenderedChart.items;
import static io.fieldproof.system.RenderedChart.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's RBAC is least privilege: no wildcard and only the verbs and resources the operator
 * uses in every rendering; and once installed for real in the namespaced scope, the API server
 * grants the operator's ServiceAccount what it needs in the watched namespaces and nothing beyond.
 */
class HelmChartRbacTest {

  private static final Set<String> VERBS =
      Set.of("get", "list", "watch", "patch", "update", "create");
  private static final Set<String> CORE_RESOURCES = Set.of("configmaps", "events", "leases");

  /** The fleet page's check of its callers: create only, they read nothing. */
  private static final Set<String> REVIEWS = Set.of("tokenreviews", "subjectaccessreviews");

  private FieldproofChart chart;

  /** Per test, so that each one reports the skip (or, in CI, the failure) when helm is missing. */
  @BeforeEach
  void chart() {
    chart = FieldproofChart.project();
  }

  static Stream<ChartCase> cases() {
    return ChartCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noWildcardAndOnlyTheVerbsTheOperatorUses(ChartCase chartCase) {
    RenderedChart rendered = chart.render(chartCase);

    List<JsonNode> rules =
        Stream.concat(rendered.ofKind("ClusterRole"), rendered.ofKind("Role"))
            .flatMap(role -> items(role.path("rules")))
            .toList();
    assertThat(rules).isNotEmpty();
    for (JsonNode rule : rules) {
      for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
        assertThat(texts(rule.path(field))).as(field + " of " + rule).doesNotContain("*");
      }
      assertThat(texts(rule.path("verbs"))).isSubsetOf(VERBS);
      assertThat(texts(rule.path("resources")))
          .as("no Secrets, Pods or anything else the operator does not touch")
          .allMatch(
              r ->
                  r.startsWith("devicegroups")
                      || r.startsWith("modelrollouts")
                      || r.equals("capturelabels")
                      || CORE_RESOURCES.contains(r)
                      || REVIEWS.contains(r));
      if (texts(rule.path("resources")).stream().anyMatch(REVIEWS::contains)) {
        assertThat(texts(rule.path("verbs")))
            .as("reviews are only created")
            .containsExactly("create");
      }
    }
  }

  @Test
  void theNamespacedInstallGrantsWhatTheOperatorNeedsAndNothingElse(@TempDir Path dir)
      throws IOException {
    LocalControlPlane plane = LocalControlPlane.shared();
    String release = plane.createNamespace("helm-rbac");
    List<String> watched = List.of("rbac-fleet-a", "rbac-fleet-b");
    watched.forEach(plane::createNamespace);
    plane.createNamespace("rbac-elsewhere");
    RenderedChart rendered =
        chart.render(
            "-n",
            release,
            "--set",
            "rbac.scope=namespaced",
            "--set",
            "watchNamespaces={" + String.join(",", watched) + "}");
    Path manifest = dir.resolve("rendered.yaml");
    Files.writeString(manifest, rendered.yamlWithout());
    plane.kubectl().run("apply", "--server-side", "-f", manifest.toString());
    Probe sa = new Probe(plane.kubectl(), "system:serviceaccount:" + release + ":" + FULLNAME);

    for (String namespace : watched) {
      for (String verb : List.of("get", "list", "watch", "patch")) {
        assertThat(sa.can(verb, "devicegroups.fieldproof.io", namespace)).isTrue();
        assertThat(sa.can(verb, "modelrollouts.fieldproof.io", namespace)).isTrue();
      }
      assertThat(sa.can("patch", "modelrollouts.fieldproof.io", namespace, "--subresource=status"))
          .isTrue();
      assertThat(sa.can("patch", "devicegroups.fieldproof.io", namespace, "--subresource=status"))
          .isTrue();
      assertThat(
              sa.can("update", "devicegroups.fieldproof.io", namespace, "--subresource=finalizers"))
          .isTrue();
      assertThat(sa.can("watch", "capturelabels.fieldproof.io", namespace)).isTrue();
      assertThat(sa.can("patch", "capturelabels.fieldproof.io", namespace))
          .as("labels are people's: the operator only reads them")
          .isFalse();
      assertThat(sa.can("watch", "configmaps", namespace)).isTrue();
      assertThat(sa.can("create", "events", namespace)).isTrue();
      assertThat(sa.can("patch", "events.events.k8s.io", namespace)).isTrue();
      assertThat(sa.can("get", "secrets", namespace)).as("no Secrets").isFalse();
      assertThat(sa.can("delete", "devicegroups.fieldproof.io", namespace)).isFalse();
      assertThat(sa.can("create", "modelrollouts.fieldproof.io", namespace)).isFalse();
      assertThat(sa.can("update", "configmaps", namespace)).isFalse();
    }
    assertThat(sa.can("list", "devicegroups.fieldproof.io", "rbac-elsewhere"))
        .as("a namespace not watched")
        .isFalse();
    assertThat(sa.can("list", "devicegroups.fieldproof.io", "rbac-elsewhere", "--all-namespaces"))
        .as("nothing cluster-wide")
        .isFalse();
    assertThat(sa.can("create", "leases.coordination.k8s.io", release)).isTrue();
    assertThat(sa.can("update", "leases.coordination.k8s.io/" + FULLNAME, release)).isTrue();
    assertThat(sa.can("patch", "leases.coordination.k8s.io/" + FULLNAME, release)).isTrue();
    assertThat(sa.can("update", "leases.coordination.k8s.io/someone-elses", release)).isFalse();
    assertThat(sa.can("create", "leases.coordination.k8s.io", watched.get(0))).isFalse();
    assertThat(sa.can("create", "tokenreviews.authentication.k8s.io", release))
        .as("the fleet page checks tokens")
        .isTrue();
    assertThat(sa.can("create", "subjectaccessreviews.authorization.k8s.io", release))
        .as("and what their users may read")
        .isTrue();
  }

  /** Asks the API server what one user may do, through {@code kubectl auth can-i --as}. */
  private record Probe(Kubectl kubectl, String user) {
    boolean can(String verb, String resource, String namespace, String... more) {
      List<String> args =
          new ArrayList<>(List.of("auth", "can-i", verb, resource, "-n", namespace, "--as", user));
      args.addAll(List.of(more));
      Kubectl.Result result = kubectl.exec(args.toArray(String[]::new));
      String answer = result.stdout().trim();
      assertThat(answer)
          .as("kubectl " + String.join(" ", args) + ": " + result.stderr())
          .isIn("yes", "no");
      return answer.equals("yes");
    }
  }
}
