package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Something that happened on a device (a flash result, an alarm, a fallback activation, a sensor
 * fault, a lost link). Not retained; raised while the broker is unreachable, events are spooled by
 * the agent and delivered later, in order, with their original time.
 */
public record DeviceEvent(
    int v,
    String device,
    String gateway,
    long seq,
    String time,
    String kind,
    String reason,
    String message)
    implements Message {

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (device == null || device.isBlank()) {
      problems.add("device is required");
    }
    if (kind == null || kind.isBlank()) {
      problems.add("kind is required");
    }
    if (time == null || time.isBlank()) {
      problems.add("time is required");
    }
    return problems;
  }
}
