package io.fieldproof.agent.capture;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The layout of the objects in the capture bucket: {@code
 * <namespace>/<group>/<device>/<yyyy-mm-dd>/<triggeredAt>-<trigger>-<digest>.<ext>}, the date and
 * time in UTC, the digest the first 12 hex digits of the window's sha256 (a window spooled twice,
 * or uploaded again after a crash, lands on the same key; two windows never share one), and the
 * extension from the content type. And the user metadata each object carries.
 */
final class ObjectKeys {

  /** The group part of the key of a device that belongs to no group. */
  static final String NO_GROUP = "_nogroup";

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ObjectKeys() {}

  static String key(String namespace, CapturedWindow window, Instant acceptedAt) {
    Instant at = window.triggeredAt() != null ? window.triggeredAt() : acceptedAt;
    String group = window.group() == null || window.group().isBlank() ? NO_GROUP : window.group();
    return String.join(
        "/",
        safe(namespace),
        safe(group),
        safe(window.device()),
        DAY.format(at),
        TIME.format(at)
            + "-"
            + safe(window.trigger())
            + "-"
            + digest(window.body())
            + extension(window.contentType()));
  }

  /** The object's user metadata (x-amz-meta-*): what the window is and where it comes from. */
  static Map<String, String> metadata(WindowHeader header) {
    Map<String, String> metadata = new LinkedHashMap<>();
    put(metadata, "namespace", header.namespace());
    put(metadata, "device", header.device());
    put(metadata, "gateway", header.gateway());
    put(metadata, "group", header.group());
    put(metadata, "model-sha256", header.modelSha256());
    put(metadata, "config-generation", Long.toString(header.configGeneration()));
    put(metadata, "trigger", header.trigger());
    put(metadata, "chip", header.chip());
    put(metadata, "triggered-at", header.triggeredAt());
    put(metadata, "window-start", header.start());
    put(metadata, "window-end", header.end());
    put(metadata, "accepted-at", header.acceptedAt());
    return metadata;
  }

  private static void put(Map<String, String> metadata, String key, String value) {
    if (value != null) {
      // metadata travels in HTTP headers: printable ASCII only
      metadata.put(key, value.replaceAll("[^\\x20-\\x7e]", "_"));
    }
  }

  /** A key segment: letters, digits, dot, dash and underscore only, never empty or dots alone. */
  static String safe(String part) {
    String cleaned = part == null ? "" : part.replaceAll("[^A-Za-z0-9._-]", "_");
    if (cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '.')) {
      return "_" + cleaned;
    }
    return cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned;
  }

  private static String extension(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json") || type.endsWith("+json")) {
      return ".json";
    }
    if (type.startsWith("text/csv")) {
      return ".csv";
    }
    return ".bin";
  }

  private static String digest(byte[] body) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
      return HexFormat.of().formatHex(sha, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
