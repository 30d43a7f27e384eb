package io.fieldproof.protocol.capture;

import io.fieldproof.protocol.Grammar;
import io.fieldproof.protocol.Sha256;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a captured window lives in the object store, and what its key says of it. The key is {@code
 * <namespace>/<group>/<model sha256>/<trigger>/<device>/<triggered at, epoch ms>-<sequence> .json}:
 * a dataset selects by group, model and trigger with a key prefix, and a label that names the key
 * says which group, model, trigger and device the window belongs to without reading it. The same
 * device, trigger time and sequence always give the same key, so a window uploaded twice (a crash
 * between the upload and the spool's delete) is one object.
 *
 * @param namespace the DeviceGroup's namespace
 * @param group the DeviceGroup's name
 * @param modelSha256 sha256 of the model the device ran, {@link #NO_MODEL} when it ran none
 * @param trigger what made the device keep the window
 * @param device the device id
 * @param triggeredAtMillis when the trigger fired, milliseconds since the epoch
 * @param digest the first 12 hex digits of the sha256 of the window's bytes
 */
public record CaptureKey(
    String namespace,
    String group,
    String modelSha256,
    CaptureTrigger trigger,
    String device,
    long triggeredAtMillis,
    String digest) {

  /** The model of a window captured by a device that ran none. */
  public static final String NO_MODEL = "none";

  /** Longest key the store and the labels take. */
  public static final int MAX_LENGTH = 512;

  private static final String NAME = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";

  /** The key's grammar, as CaptureLabel's schema checks it too. */
  public static final String PATTERN =
      "^"
          + NAME
          + "/"
          + NAME
          + "/([0-9a-f]{64}|none)/(alarm|fallback|sensorFault|drift|sample)/"
          + "(esp32-[0-9a-f]{12}|stm32-[0-9a-f]{24})/[0-9]{1,19}-[0-9a-f]{12}\\.json$";

  private static final Pattern KEY =
      Pattern.compile(
          "(?<ns>"
              + NAME
              + ")/(?<group>"
              + NAME
              + ")/(?<model>[0-9a-f]{64}|none)/(?<trigger>[A-Za-z]+)/(?<device>[a-z0-9-]+)/"
              + "(?<at>[0-9]{1,19})-(?<digest>[0-9a-f]{12})\\.json");

  public CaptureKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(trigger, "trigger");
    if (!Grammar.deviceId(device)) {
      throw new IllegalArgumentException("not a device id: " + device);
    }
    if (triggeredAtMillis < 0) {
      throw new IllegalArgumentException("a capture's time cannot be negative");
    }
    Objects.requireNonNull(digest, "digest");
    if (!key(namespace, group, modelSha256, trigger, device, triggeredAtMillis, digest)
        .matches(PATTERN.substring(1, PATTERN.length() - 1))) {
      throw new IllegalArgumentException(
          "namespace, group or model do not make a capture key: "
              + namespace
              + "/"
              + group
              + "/"
              + modelSha256);
    }
  }

  /** The object key. */
  public String key() {
    return key(namespace, group, modelSha256, trigger, device, triggeredAtMillis, digest);
  }

  /** The digest part of a key: the first 12 hex digits of the sha256 of the window's bytes. */
  public static String digestOf(byte[] window) {
    return Sha256.hex(window).substring(0, 12);
  }

  /** The prefix of every window of one group, model and trigger: what a dataset lists. */
  public static String prefix(String namespace, String group, String modelSha256, String trigger) {
    StringBuilder prefix = new StringBuilder(namespace).append('/').append(group).append('/');
    if (modelSha256 != null) {
      prefix.append(modelSha256).append('/');
      if (trigger != null) {
        prefix.append(trigger).append('/');
      }
    }
    return prefix.toString();
  }

  /** What {@code key} says, or empty when it is not a capture key. */
  public static Optional<CaptureKey> parse(String key) {
    if (key == null || key.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Matcher m = KEY.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<CaptureTrigger> trigger = CaptureTrigger.byWireName(m.group("trigger"));
    if (trigger.isEmpty() || !Grammar.deviceId(m.group("device"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new CaptureKey(
              m.group("ns"),
              m.group("group"),
              m.group("model"),
              trigger.get(),
              m.group("device"),
              Long.parseLong(m.group("at")),
              m.group("digest")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String key(
      String namespace,
      String group,
      String modelSha256,
      CaptureTrigger trigger,
      String device,
      long at,
      String digest) {
    return namespace
        + "/"
        + group
        + "/"
        + modelSha256
        + "/"
        + trigger.wireName()
        + "/"
        + device
        + "/"
        + at
        + "-"
        + digest
        + ".json";
  }
}
