package io.fieldproof.agent.capture;

import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.protocol.capture.CaptureTrigger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object key of a window, as {@link CaptureKey} lays it out for every reader of the bucket
 * (datasets, labels): {@code <namespace>/<group>/<model sha256>/<trigger>/<device>/<triggered at,
 * epoch ms>-<digest>.json}, the digest the first 12 hex digits of the sha256 of the window's body.
 * The key depends only on the window, so a window uploaded again after a crash between the PUT and
 * the spool's delete lands on the same object, and two windows never share one. And the user
 * metadata each object carries.
 */
final class ObjectKeys {

  private ObjectKeys() {}

  /**
   * The window's key.
   *
   * @throws IllegalArgumentException when the window cannot have one: no group, a trigger that is
   *     not a capture trigger, a device id or model digest outside their grammar
   */
  static String key(String namespace, CapturedWindow window, Instant acceptedAt) {
    Instant at = window.triggeredAt() != null ? window.triggeredAt() : acceptedAt;
    if (window.group() == null) {
      throw new IllegalArgumentException("the window names no DeviceGroup");
    }
    CaptureTrigger trigger =
        CaptureTrigger.byWireName(window.trigger())
            .orElseThrow(
                () -> new IllegalArgumentException("not a capture trigger: " + window.trigger()));
    return new CaptureKey(
            namespace,
            window.group(),
            window.modelSha256() == null ? CaptureKey.NO_MODEL : window.modelSha256(),
            trigger,
            window.device(),
            at.toEpochMilli(),
            CaptureKey.digestOf(window.body()))
        .key();
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
}
