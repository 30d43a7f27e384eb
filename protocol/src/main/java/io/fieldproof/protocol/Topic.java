package io.fieldproof.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One topic of the MQTT contract v2, parsed or built. The namespace is part of every topic, and the
 * gateway is part of every topic a gateway writes or reads about its devices, so a broker ACL can
 * bind a gateway's credentials to its own subtree {@code fieldproof/v2/{ns}/gw/{gw}/#} and to the
 * read-only models of its namespace: a receiver takes the gateway from the topic, never from the
 * payload.
 *
 * <pre>
 * fieldproof/v2/{ns}/gw/{gw}/state
 * fieldproof/v2/{ns}/gw/{gw}/dev/{device}/desired | reported | events
 * fieldproof/v2/{ns}/models/{sha256}/manifest | chunks/{i}
 * </pre>
 */
public record Topic(TopicKind kind, String namespace, String gateway, String id, int chunk) {

  public static final String ROOT = "fieldproof/v2";

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");

  public static Topic gatewayState(String namespace, String gateway) {
    return new Topic(TopicKind.GATEWAY_STATE, namespace, gateway, null, -1);
  }

  /** The desired state of {@code device}, under the gateway that owns it. */
  public static Topic desired(String namespace, String gateway, String device) {
    return new Topic(TopicKind.DESIRED, namespace, gateway, device, -1);
  }

  public static Topic reported(String namespace, String gateway, String device) {
    return new Topic(TopicKind.REPORTED, namespace, gateway, device, -1);
  }

  public static Topic events(String namespace, String gateway, String device) {
    return new Topic(TopicKind.EVENTS, namespace, gateway, device, -1);
  }

  /** The retained manifest of the model with this sha256. */
  public static Topic modelManifest(String namespace, String sha256) {
    return new Topic(TopicKind.MODEL_MANIFEST, namespace, null, sha256, -1);
  }

  /** The retained chunk {@code index} (from 0) of the model with this sha256. */
  public static Topic modelChunk(String namespace, String sha256, int index) {
    return new Topic(TopicKind.MODEL_CHUNK, namespace, null, sha256, index);
  }

  /** The MQTT topic string. */
  public String path() {
    String ns = ROOT + "/" + namespace;
    return switch (kind) {
      case GATEWAY_STATE -> ns + "/gw/" + gateway + "/state";
      case DESIRED -> ns + "/gw/" + gateway + "/dev/" + id + "/desired";
      case REPORTED -> ns + "/gw/" + gateway + "/dev/" + id + "/reported";
      case EVENTS -> ns + "/gw/" + gateway + "/dev/" + id + "/events";
      case MODEL_MANIFEST -> ns + "/models/" + id + "/manifest";
      case MODEL_CHUNK -> ns + "/models/" + id + "/chunks/" + chunk;
    };
  }

  /** The device id of a device topic, null for the others. */
  public String device() {
    return kind == TopicKind.DESIRED || kind == TopicKind.REPORTED || kind == TopicKind.EVENTS
        ? id
        : null;
  }

  /** The model's sha256 of a manifest or chunk topic. */
  public String sha256() {
    return kind == TopicKind.MODEL_MANIFEST || kind == TopicKind.MODEL_CHUNK ? id : null;
  }

  /** Parses a topic string; empty when it is not a topic of this contract. */
  public static Optional<Topic> parse(String path) {
    if (path == null || !path.startsWith(ROOT + "/")) {
      return Optional.empty();
    }
    String[] parts = path.substring(ROOT.length() + 1).split("/", -1);
    if (parts.length < 4 || !NAMESPACE.matcher(parts[0]).matches()) {
      return Optional.empty();
    }
    return switch (parts[1]) {
      case "gw" -> parseGateway(parts);
      case "models" -> parseModel(parts);
      default -> Optional.empty();
    };
  }

  private static Optional<Topic> parseGateway(String[] parts) {
    String ns = parts[0];
    String gw = parts[2];
    if (!SEGMENT.matcher(gw).matches()) {
      return Optional.empty();
    }
    if (parts.length == 4 && parts[3].equals("state")) {
      return Optional.of(gatewayState(ns, gw));
    }
    if (parts.length != 6 || !parts[3].equals("dev") || !SEGMENT.matcher(parts[4]).matches()) {
      return Optional.empty();
    }
    String device = parts[4];
    return switch (parts[5]) {
      case "desired" -> Optional.of(desired(ns, gw, device));
      case "reported" -> Optional.of(reported(ns, gw, device));
      case "events" -> Optional.of(events(ns, gw, device));
      default -> Optional.empty();
    };
  }

  private static Optional<Topic> parseModel(String[] parts) {
    String ns = parts[0];
    String sha = parts[2];
    if (!SHA256.matcher(sha).matches()) {
      return Optional.empty();
    }
    if (parts.length == 4 && parts[3].equals("manifest")) {
      return Optional.of(modelManifest(ns, sha));
    }
    if (parts.length == 5 && parts[3].equals("chunks") && parts[4].matches("[0-9]{1,6}")) {
      return Optional.of(modelChunk(ns, sha, Integer.parseInt(parts[4])));
    }
    return Optional.empty();
  }

  /** A subscription filter under one namespace (or {@code +} for all). */
  public static String filter(String namespaceOrPlus, String suffix) {
    return ROOT + "/" + namespaceOrPlus + "/" + suffix;
  }

  /** The filter of one kind of device topic, over every gateway of the namespace. */
  public static String deviceFilter(String namespaceOrPlus, TopicKind kind) {
    String leaf =
        switch (kind) {
          case DESIRED -> "desired";
          case REPORTED -> "reported";
          case EVENTS -> "events";
          default -> throw new IllegalArgumentException(kind + " is not a device topic");
        };
    return filter(namespaceOrPlus, "gw/+/dev/+/" + leaf);
  }
}
