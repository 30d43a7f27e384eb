package io.fieldproof.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Encodes messages to JSON and decodes received payloads, validating everything the contract
 * promises: size limit, JSON, schema version, required fields, and that the id in the topic is the
 * id in the payload. A payload that breaks any rule raises {@link InvalidMessageException}.
 */
public final class MessageCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private MessageCodec() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /** Decodes a gateway state and checks the gateway id of the payload against the topic. */
  public static GatewayState decodeGatewayState(Topic topic, byte[] payload)
      throws InvalidMessageException {
    GatewayState state = decode(topic, TopicKind.GATEWAY_STATE, payload, GatewayState.class);
    sameId("gateway", topic.gateway(), state.gateway());
    return state;
  }

  public static DesiredState decodeDesired(Topic topic, byte[] payload)
      throws InvalidMessageException {
    DesiredState state = decode(topic, TopicKind.DESIRED, payload, DesiredState.class);
    sameId("device", topic.device(), state.device());
    return state;
  }

  public static ReportedState decodeReported(Topic topic, byte[] payload)
      throws InvalidMessageException {
    ReportedState state = decode(topic, TopicKind.REPORTED, payload, ReportedState.class);
    sameId("device", topic.device(), state.device());
    sameId("gateway", topic.gateway(), state.gateway());
    return state;
  }

  public static DeviceEvent decodeEvent(Topic topic, byte[] payload)
      throws InvalidMessageException {
    DeviceEvent event = decode(topic, TopicKind.EVENTS, payload, DeviceEvent.class);
    sameId("device", topic.device(), event.device());
    sameId("gateway", topic.gateway(), event.gateway());
    return event;
  }

  /** Decodes a model manifest and checks its sha256 against the one in the topic. */
  public static ModelManifest decodeManifest(Topic topic, byte[] payload)
      throws InvalidMessageException {
    ModelManifest manifest = decode(topic, TopicKind.MODEL_MANIFEST, payload, ModelManifest.class);
    sameId("model", topic.sha256(), manifest.sha256());
    return manifest;
  }

  private static <T extends Message> T decode(
      Topic topic, TopicKind expected, byte[] payload, Class<T> type)
      throws InvalidMessageException {
    if (topic.kind() != expected) {
      throw new InvalidMessageException(
          DropReason.UNKNOWN_TOPIC, topic.path() + " does not carry a " + type.getSimpleName());
    }
    if (payload.length > expected.maxPayloadBytes()) {
      throw new InvalidMessageException(
          DropReason.OVERSIZED,
          payload.length + " bytes, the limit is " + expected.maxPayloadBytes());
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new InvalidMessageException(DropReason.MALFORMED_JSON, firstLine(e.getMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidMessageException(
          DropReason.MALFORMED_JSON, "the payload is not a JSON object");
    }
    JsonNode version = tree.get("v");
    if (version == null || !version.isInt() || version.intValue() != Message.VERSION) {
      throw new InvalidMessageException(
          DropReason.WRONG_SCHEMA_VERSION,
          "v is " + version + ", this receiver speaks v" + Message.VERSION);
    }
    T message;
    try {
      message = MAPPER.treeToValue(tree, type);
    } catch (IOException e) {
      throw new InvalidMessageException(
          DropReason.INVALID_FIELD,
          firstLine(
              e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()));
    }
    List<String> problems = message.problems();
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(DropReason.INVALID_FIELD, String.join("; ", problems));
    }
    return message;
  }

  private static void sameId(String what, String inTopic, String inPayload)
      throws InvalidMessageException {
    if (!Objects.equals(inTopic, inPayload)) {
      throw new InvalidMessageException(
          DropReason.IDENTITY_MISMATCH,
          "the topic names " + what + " " + inTopic + " but the payload " + inPayload);
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
