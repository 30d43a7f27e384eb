package io.fieldproof.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import java.io.File;
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
      List.of(DeviceGroup.class, ModelRollout.class);

  private CrdWriter() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdWriter OUTPUT_DIR");
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
  }

  /** Orders additionalPrinterColumns as the @AdditionalPrinterColumn annotations are declared. */
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
      return definition;
    }
  }
}
