package io.fieldproof.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One topic of the MQTT contract v1, parsed or built. The namespace is part of every topic so
 * broker ACLs can bind a gateway's credentials to one namespace and one gateway id.
 *
 * <pre>
 * fieldproof/v1/{ns}/gw/{gw}/state
 * fieldproof/v1/{ns}/dev/{device}/desired | reported | events
 * fieldproof/v1/{ns}/models/{sha256}/manifest | chunks/{i}
 * </pre>
 */
public record Topic(TopicKind kind, String namespace, String id, int chunk) {

  public static final String ROOT = "fieldproof/v1";

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");

  public static Topic gatewayState(String namespace, String gateway) {
    return new Topic(TopicKind.GATEWAY_STATE, namespace, gateway, -1);
  }

  public static Topic desired(String namespace, String device) {
    return new Topic(TopicKind.DESIRED, namespace, device, -1);
  }

  public static Topic reported(String namespace, String device) {
    return new Topic(TopicKind.REPORTED, namespace, device, -1);
  }

  public static Topic events(String namespace, String device) {
    return new Topic(TopicKind.EVENTS, namespace, device, -1);
  }

  /** The retained manifest of the model with this sha256. */
  public static Topic modelManifest(String namespace, String sha256) {
    return new Topic(TopicKind.MODEL_MANIFEST, namespace, sha256, -1);
  }

  /** The retained chunk {@code index} (from 0) of the model with this sha256. */
  public static Topic modelChunk(String namespace, String sha256, int index) {
    return new Topic(TopicKind.MODEL_CHUNK, namespace, sha256, index);
  }

  /** The MQTT topic string. */
  public String path() {
    return switch (kind) {
      case GATEWAY_STATE -> ROOT + "/" + namespace + "/gw/" + id + "/state";
      case DESIRED -> ROOT + "/" + namespace + "/dev/" + id + "/desired";
      case REPORTED -> ROOT + "/" + namespace + "/dev/" + id + "/reported";
      case EVENTS -> ROOT + "/" + namespace + "/dev/" + id + "/events";
      case MODEL_MANIFEST -> ROOT + "/" + namespace + "/models/" + id + "/manifest";
      case MODEL_CHUNK -> ROOT + "/" + namespace + "/models/" + id + "/chunks/" + chunk;
    };
  }

  /** The gateway id of a state topic, or the device id of a device topic. */
  public String gateway() {
    return kind == TopicKind.GATEWAY_STATE ? id : null;
  }

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
    String ns = parts[0];
    String id = parts[2];
    if (parts.length == 4
        && parts[1].equals("gw")
        && parts[3].equals("state")
        && SEGMENT.matcher(id).matches()) {
      return Optional.of(gatewayState(ns, id));
    }
    if (parts.length == 4 && parts[1].equals("dev") && SEGMENT.matcher(id).matches()) {
      return switch (parts[3]) {
        case "desired" -> Optional.of(desired(ns, id));
        case "reported" -> Optional.of(reported(ns, id));
        case "events" -> Optional.of(events(ns, id));
        default -> Optional.empty();
      };
    }
    if (parts[1].equals("models") && SHA256.matcher(id).matches()) {
      if (parts.length == 4 && parts[3].equals("manifest")) {
        return Optional.of(modelManifest(ns, id));
      }
      if (parts.length == 5 && parts[3].equals("chunks") && parts[4].matches("[0-9]{1,6}")) {
        return Optional.of(modelChunk(ns, id, Integer.parseInt(parts[4])));
      }
    }
    return Optional.empty();
  }

  /** Subscription filters the operator uses, for all namespaces or one. */
  public static String filter(String namespaceOrPlus, String suffix) {
    return ROOT + "/" + namespaceOrPlus + "/" + suffix;
  }
}
