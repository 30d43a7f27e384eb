package io.fieldproof.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the CRD reference (docs/crd-reference.md) from the generated CRDs, so that the reference
 * always matches the schema the API server enforces.
 */
final class CrdReference {

  private CrdReference() {}

  static String render(List<CustomResourceDefinition> crds) {
    StringBuilder out = new StringBuilder();
    out.append("# CRD reference: fieldproof.io/v1alpha1\n\n")
        .append("Generated from the Java classes of the `api` module, together with `crds/`; ")
        .append("do not edit by hand (`./mvnw -pl api -Pupdate-crds process-test-classes`).\n")
        .append("Every constraint below is enforced by the API server: a manifest that breaks one ")
        .append("is rejected with a message naming the field.\n");
    for (CustomResourceDefinition crd : crds) {
      renderKind(out, crd);
    }
    return out.toString();
  }

  private static void renderKind(StringBuilder out, CustomResourceDefinition crd) {
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    out.append("\n## ")
        .append(crd.getSpec().getNames().getKind())
        .append("\n\n")
        .append("- API: `")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append("`, ")
        .append(crd.getSpec().getScope().toLowerCase())
        .append('\n')
        .append("- names: `")
        .append(crd.getSpec().getNames().getPlural())
        .append("`, short `")
        .append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
        .append("`, category `")
        .append(String.join("`, `", crd.getSpec().getNames().getCategories()))
        .append("`\n")
        .append("- subresources: status\n")
        .append("- kubectl columns: ");
    List<String> columns = new ArrayList<>();
    columns.add("NAME");
    for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
      columns.add(
          column.getName()
              + (column.getPriority() != null && column.getPriority() > 0 ? " (wide)" : ""));
    }
    out.append(String.join(", ", columns)).append("\n\n");
    out.append("| field | type | constraints | description |\n| --- | --- | --- | --- |\n");
    Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
    for (String root : List.of("spec", "status")) {
      if (top.containsKey(root)) {
        renderField(out, root, top.get(root), "spec".equals(root));
      }
    }
  }

  private static void renderField(
      StringBuilder out, String path, JSONSchemaProps schema, boolean required) {
    out.append("| `")
        .append(path)
        .append("` | ")
        .append(type(schema))
        .append(" | ")
        .append(escape(constraints(schema, required)))
        .append(" | ")
        .append(escape(schema.getDescription() == null ? "" : schema.getDescription()))
        .append(" |\n");
    JSONSchemaProps object = schema;
    String prefix = path;
    if ("array".equals(schema.getType())
        && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      object = schema.getItems().getSchema();
      prefix = path + "[]";
      if (!object.getXKubernetesValidations().isEmpty()) {
        out.append("| `")
            .append(prefix)
            .append("` | object | ")
            .append(escape(constraints(object, false)))
            .append(" | each item |\n");
      }
    }
    if (object.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> child :
        new TreeMap<>(object.getProperties()).entrySet()) {
      boolean childRequired =
          object.getRequired() != null && object.getRequired().contains(child.getKey());
      renderField(out, prefix + "." + child.getKey(), child.getValue(), childRequired);
    }
  }

  private static String type(JSONSchemaProps schema) {
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      return "int or string";
    }
    if ("array".equals(schema.getType())
        && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      return "array of " + schema.getItems().getSchema().getType();
    }
    if ("object".equals(schema.getType())
        && schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      return "map of " + schema.getAdditionalProperties().getSchema().getType();
    }
    return schema.getType() == null ? "" : schema.getType();
  }

  private static String constraints(JSONSchemaProps schema, boolean required) {
    List<String> parts = new ArrayList<>();
    if (required) {
      parts.add("required");
    }
    if (schema.getMinimum() != null) {
      parts.add(
          (Boolean.TRUE.equals(schema.getExclusiveMinimum()) ? "> " : ">= ")
              + number(schema.getMinimum()));
    }
    if (schema.getMaximum() != null) {
      parts.add(
          (Boolean.TRUE.equals(schema.getExclusiveMaximum()) ? "< " : "<= ")
              + number(schema.getMaximum()));
    }
    if (schema.getMinItems() != null) {
      parts.add("min items " + schema.getMinItems());
    }
    if (schema.getMaxItems() != null) {
      parts.add("max items " + schema.getMaxItems());
    }
    if (schema.getMaxLength() != null) {
      parts.add("max length " + schema.getMaxLength());
    }
    if (schema.getMaxProperties() != null) {
      parts.add("max entries " + schema.getMaxProperties());
    }
    if (schema.getPattern() != null) {
      parts.add("pattern `" + schema.getPattern() + "`");
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      List<String> values = schema.getEnum().stream().map(v -> v.asText()).toList();
      parts.add("one of " + String.join(", ", values.stream().map(v -> "`" + v + "`").toList()));
    }
    if (schema.getDefault() != null) {
      parts.add("default `" + schema.getDefault() + "`");
    }
    for (ValidationRule rule : schema.getXKubernetesValidations()) {
      parts.add("rule: " + rule.getMessage());
    }
    return String.join("; ", parts);
  }

  private static String number(Double value) {
    return value == Math.rint(value) ? String.valueOf(value.longValue()) : String.valueOf(value);
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
