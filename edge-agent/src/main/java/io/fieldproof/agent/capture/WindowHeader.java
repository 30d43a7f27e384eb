package io.fieldproof.agent.capture;

import java.time.Instant;

/**
 * What the spool keeps of a window beside its body, as the first line (JSON) of its file: the
 * object key it goes to, the metadata the object carries, and the body's length (a file whose
 * length disagrees was cut short by a crash).
 *
 * @param key the object key, chosen once when the window is spooled: an upload repeated after a
 *     crash writes the same object again
 * @param namespace the namespace of the gateway's agent
 * @param triggeredAt when the trigger fired (ISO-8601, UTC), as the other times
 * @param acceptedAt when the spool took the window, by the agent's clock
 * @param bodyLength the body's length in bytes
 */
record WindowHeader(
    String key,
    String namespace,
    String device,
    String gateway,
    String group,
    String modelSha256,
    long configGeneration,
    String trigger,
    String chip,
    String triggeredAt,
    String start,
    String end,
    String contentType,
    String acceptedAt,
    long bodyLength) {

  static WindowHeader of(String key, String namespace, CapturedWindow window, Instant acceptedAt) {
    return new WindowHeader(
        key,
        namespace,
        window.device(),
        window.gateway(),
        window.group(),
        window.modelSha256(),
        window.configGeneration(),
        window.trigger(),
        window.chip(),
        text(window.triggeredAt()),
        text(window.start()),
        text(window.end()),
        window.contentType(),
        text(acceptedAt),
        window.body().length);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
