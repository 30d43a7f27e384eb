package io.fieldproof.protocol.signing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes values in the canonical form that signatures cover: every field is a presence byte (0:
 * null, 1: a value follows) and its value; a string is its UTF-8 byte count as a 4-byte big-endian
 * unsigned integer and the bytes; every integer is 8 bytes, big-endian two's complement; a double
 * is its IEEE 754 binary64 bits, big-endian; a list is its item count (4 bytes) and the items, each
 * written as a field; a record is its fields in order.
 */
final class CanonicalWriter {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  CanonicalWriter raw(byte[] value) {
    return io(() -> out.write(value));
  }

  CanonicalWriter string(String value) {
    if (present(value)) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      io(() -> out.writeInt(utf8.length));
      raw(utf8);
    }
    return this;
  }

  CanonicalWriter integer(Number value) {
    if (present(value)) {
      io(() -> out.writeLong(value.longValue()));
    }
    return this;
  }

  CanonicalWriter decimal(Double value) {
    if (present(value)) {
      io(() -> out.writeLong(Double.doubleToLongBits(value)));
    }
    return this;
  }

  /** A record: {@code fields} writes its fields in order. */
  <T> CanonicalWriter record(T value, BiConsumer<CanonicalWriter, T> fields) {
    if (present(value)) {
      fields.accept(this, value);
    }
    return this;
  }

  /** A list of records: {@code fields} writes the fields of one. */
  <T> CanonicalWriter records(List<T> values, BiConsumer<CanonicalWriter, T> fields) {
    return list(values, (out, value) -> out.record(value, fields));
  }

  /** A list: {@code item} writes each item as a field (its presence byte and value). */
  <T> CanonicalWriter list(List<T> values, BiConsumer<CanonicalWriter, T> item) {
    if (present(values)) {
      io(() -> out.writeInt(values.size()));
      values.forEach(value -> item.accept(this, value));
    }
    return this;
  }

  byte[] toBytes() {
    return bytes.toByteArray();
  }

  private boolean present(Object value) {
    io(() -> out.writeByte(value == null ? 0 : 1));
    return value != null;
  }

  private CanonicalWriter io(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private interface Write {
    void run() throws IOException;
  }
}
