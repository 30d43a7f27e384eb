package io.fieldproof.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON merge patch (RFC 7386) that turns a stored status into a computed one exactly: the keys
 * that differ, with {@code null} for every key the stored status holds and the computed one leaves
 * out, at any depth; lists are replaced whole. A server-side apply cannot do that: it leaves in
 * place every field that another field manager wrote (a {@code kubectl patch --subresource=status},
 * an earlier operator under another manager name) and the operator no longer sets, so the stored
 * status never came to equal the computed one and every reconcile wrote it again.
 */
public final class StatusMergePatch {

  private StatusMergePatch() {}

  /**
   * @param stored the status as the API server holds it, or null
   * @param computed the status to write, not null
   * @return the patch of the status object, empty when nothing differs
   */
  public static JsonNode between(JsonNode stored, JsonNode computed) {
    if (stored == null || !stored.isObject() || !computed.isObject()) {
      return computed;
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = computed.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode before = stored.get(field.getKey());
      if (field.getValue().equals(before)) {
        continue;
      }
      patch.set(
          field.getKey(),
          before != null && before.isObject() && field.getValue().isObject()
              ? between(before, field.getValue())
              : field.getValue());
    }
    for (Iterator<String> it = stored.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!computed.has(name)) {
        patch.putNull(name);
      }
    }
    return patch;
  }
}
