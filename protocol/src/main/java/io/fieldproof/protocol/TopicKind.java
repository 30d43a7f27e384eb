package io.fieldproof.protocol;

/** The kinds of topic of the MQTT contract, each with its payload size limit. */
public enum TopicKind {
  GATEWAY_STATE(256 * 1024),
  DESIRED(64 * 1024),
  REPORTED(32 * 1024),
  EVENTS(16 * 1024),
  MODEL_MANIFEST(64 * 1024),
  MODEL_CHUNK(64 * 1024);

  private final int maxPayloadBytes;

  TopicKind(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** The largest payload a receiver accepts on this kind of topic. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }
}
