package io.fieldproof.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one place the CRD YAML is generated: from the Java classes of the api module, into the folder
 * given as the first argument. The build writes to target/crds and CommittedCrdsTest compares that
 * with crds/; the update-crds profile writes into crds/ itself.
 *
 * <p>Fabric8's generator sorts printer columns by JSON path; kubectl shows them in CRD order, so
 * this writer puts them back in the order the classes declare them.
 */
public final class CrdWriter {

  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(DeviceGroup.class, ModelRollout.class, CaptureLabel.class);

  private CrdWriter() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: CrdWriter OUTPUT_DIR [REFERENCE_MARKDOWN]");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .withPostProcessor(new DeclaredColumnOrder())
            .customResourceClasses(KINDS)
            .generate();
    System.out.println("[crds] wrote " + written + " CRDs to " + out);
    if (args.length == 2) {
      writeReference(out, Path.of(args[1]));
    }
  }

  private static void writeReference(File crdDir, Path reference) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      String plural = HasMetadata.getPlural(kind);
      File file = new File(crdDir, plural + "." + HasMetadata.getGroup(kind) + "-v1.yml");
      crds.add(Serialization.unmarshal(readString(file.toPath()), CustomResourceDefinition.class));
    }
    try {
      Files.createDirectories(reference.toAbsolutePath().getParent());
      Files.writeString(reference, CrdReference.render(crds));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[crds] wrote the reference to " + reference);
  }

  private static String readString(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Orders additionalPrinterColumns as the @AdditionalPrinterColumn annotations are declared, and
   * makes spec required.
   */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition definition = (CustomResourceDefinition) crd;
      String kind = definition.getSpec().getNames().getKind();
      Class<?> type =
          KINDS.stream().filter(k -> k.getSimpleName().equals(kind)).findFirst().orElseThrow();
      List<String> declared =
          Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      Map<String, Integer> rank = new java.util.HashMap<>();
      for (int i = 0; i < declared.size(); i++) {
        rank.put(declared.get(i), i);
      }
      definition
          .getSpec()
          .getVersions()
          .forEach(
              version ->
                  version
                      .getAdditionalPrinterColumns()
                      .sort(
                          Comparator.comparingInt(
                              (CustomResourceColumnDefinition c) ->
                                  rank.getOrDefault(c.getName(), Integer.MAX_VALUE))));
      definition
          .getSpec()
          .getVersions()
          .forEach(version -> requireSpec(version.getSchema().getOpenAPIV3Schema()));
      return definition;
    }

    /** A resource without a spec has nothing to reconcile: the API server rejects it. */
    private static void requireSpec(
        io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps root) {
      root.setRequired(List.of("spec"));
      root.getProperties()
          .get("spec")
          .setDescription(
              "The desired state, owned by the user (and GitOps); the operator never writes it.");
      root.getProperties()
          .get("status")
          .setDescription("The observed state, written only by the operator.");
    }
  }
}
