package io.fieldproof.operator.observe;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The name an API enum constant has in the resources (its @JsonProperty), e.g. alarmRate. */
final class JsonNames {

  private JsonNames() {}

  static String of(Enum<?> constant) {
    if (constant == null) {
      return null;
    }
    try {
      JsonProperty property =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return property == null ? constant.name() : property.value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }
}
