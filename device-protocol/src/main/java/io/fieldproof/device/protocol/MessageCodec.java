package io.fieldproof.device.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads and writes message bodies: compact UTF-8 JSON. Unknown fields are ignored so that newer
 * firmware can add fields; trailing bytes after the JSON value make a body malformed.
 */
public final class MessageCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private MessageCodec() {}

  /** The body {@code {}}, sent with HELLO and STATS requests. */
  public static byte[] emptyObject() {
    return EMPTY_OBJECT.clone();
  }

  /** Serialises {@code body} (a record of this package, a map or a JSON tree). */
  public static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + body.getClass().getName(), e);
    }
  }

  /** Parses {@code body} as {@code type}. */
  public static <T> T read(byte[] body, Class<T> type) throws MalformedBodyException {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new MalformedBodyException("body is JSON null, expected " + type.getSimpleName());
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new MalformedBodyException(
          "body is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code body} as a JSON tree; an empty body reads as a missing node.
   *
   * @see JsonNode#isMissingNode()
   */
  public static JsonNode readTree(byte[] body) throws MalformedBodyException {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedBodyException("body is not JSON: " + e.getMessage(), e);
    }
  }
}
