package io.fieldproof.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's memory on disk (state.json in the state folder): the birth sequence number and, per
 * device link, what the device is and runs. A restarted agent knows what each device runs before it
 * has talked to any of them.
 */
public final class DurableState {

  private final Path file;
  private long birthSeq;
  private final Map<String, DeviceRecord> byLink = new LinkedHashMap<>();

  private DurableState(Path file) {
    this.file = file;
  }

  public static DurableState open(Path dir) throws IOException {
    Files.createDirectories(dir);
    DurableState state = new DurableState(dir.resolve("state.json"));
    if (Files.exists(state.file)) {
      JsonNode root = MessageCodec.mapper().readTree(state.file.toFile());
      state.birthSeq = root.path("birthSeq").asLong(0);
      for (JsonNode device : root.path("devices")) {
        DeviceRecord record = MessageCodec.mapper().treeToValue(device, DeviceRecord.class);
        state.byLink.put(record.link(), record);
      }
    }
    return state;
  }

  /** The next birth sequence number, persisted before it is used. */
  public synchronized long nextBirthSeq() {
    birthSeq++;
    save();
    return birthSeq;
  }

  public synchronized long birthSeq() {
    return birthSeq;
  }

  public synchronized Optional<DeviceRecord> device(String link) {
    return Optional.ofNullable(byLink.get(link));
  }

  public synchronized void put(DeviceRecord record) {
    byLink.put(record.link(), record);
    save();
  }

  private void save() {
    ObjectNode root = MessageCodec.mapper().createObjectNode();
    root.put("birthSeq", birthSeq);
    var devices = root.putArray("devices");
    byLink.values().forEach(d -> devices.add(MessageCodec.mapper().valueToTree(d)));
    try {
      AtomicFiles.write(
          file, MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file, e);
    }
  }
}
