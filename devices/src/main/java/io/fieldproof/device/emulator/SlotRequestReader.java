package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fieldproof.device.protocol.MalformedBodyException;
import java.io.IOException;

/**
 * Reads the JSON bodies of the slot commands as docs/device-protocol.md §4 types them: an integer
 * is a JSON integer, so {@code 4.9} and {@code "4"} are malformed instead of being bound to 4
 * (Jackson's defaults truncate fractions and convert strings). Otherwise as the shared codec reads:
 * unknown fields ignored, null for a primitive and trailing bytes refused.
 */
final class SlotRequestReader {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private SlotRequestReader() {}

  static <T> T read(byte[] body, Class<T> type) throws MalformedBodyException {
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
}
