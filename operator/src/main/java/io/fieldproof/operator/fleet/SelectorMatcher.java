package io.fieldproof.operator.fleet;

import io.fieldproof.api.v1alpha1.DeviceSelector;
import io.fieldproof.api.v1alpha1.SelectorRequirement;
import java.util.Map;

/** Label selector semantics of Kubernetes, over device labels. */
public final class SelectorMatcher {

  private SelectorMatcher() {}

  public static boolean matches(DeviceSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.matchLabels != null) {
      for (Map.Entry<String, String> wanted : selector.matchLabels.entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.matchExpressions != null) {
      for (SelectorRequirement requirement : selector.matchExpressions) {
        if (!meets(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean meets(SelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.key);
    return switch (requirement.operator) {
      case IN -> value != null && requirement.values != null && requirement.values.contains(value);
      case NOT_IN ->
          value == null || requirement.values == null || !requirement.values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }
}
