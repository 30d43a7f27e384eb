package io.fieldproof.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON tree as a Lua table constructor, the shape Argo CD hands a health script as {@code obj}:
 * objects become keyed tables, arrays 1-based sequences, null nothing.
 */
final class LuaLiteral {

  private LuaLiteral() {}

  static String of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nil";
    }
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          out.append('[').append(string(field.getKey())).append("]=");
          out.append(of(field.getValue())).append(',');
        }
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("{");
      node.forEach(item -> out.append(of(item)).append(','));
      return out.append('}').toString();
    }
    if (node.isNumber()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return String.valueOf(node.booleanValue());
    }
    return string(node.asText());
  }

  /** A Lua string literal: quotes, backslashes and control characters escaped as \ddd. */
  static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\%03d", c));
      } else if (c < 0x80) {
        out.append((char) c);
      } else {
        out.append(String.format("\\%03d", c));
      }
    }
    return out.append('"').toString();
  }
}
