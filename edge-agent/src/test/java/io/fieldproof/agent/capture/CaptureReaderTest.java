package io.fieldproof.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.MessageType;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The agent keeps nothing of a window the device sent out of bounds, and releases it all the same
 * so that the device records again.
 */
class CaptureReaderTest {

  private static final String SAMPLE =
      "{\"uptimeMs\":1000,\"score\":null,\"outcome\":\"normal\",\"source\":\"none\","
          + "\"raw\":[1.0],\"normalized\":[1.0],\"verdicts\":[\"ok\"]}";

  /** Answers CAPTURE reads with the pages given, in order, and records every request body. */
  private static final class ScriptedLink implements DeviceLink {
    final Deque<String> pages = new ArrayDeque<>();
    final List<String> requests = new ArrayList<>();

    ScriptedLink(String... pages) {
      this.pages.addAll(List.of(pages));
    }

    @Override
    public byte[] request(int type, byte[] body) {
      assertThat(type).isEqualTo(MessageType.CAPTURE.code());
      String request = new String(body, StandardCharsets.UTF_8);
      requests.add(request);
      if (request.contains("release")) {
        return "{\"ready\":false,\"released\":1}".getBytes(StandardCharsets.UTF_8);
      }
      return pages.removeFirst().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Hello hello() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long configure(long generation, JsonNode config) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Stats stats() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void onTelemetry(Consumer<Telemetry> listener) {}

    @Override
    public long framesDropped() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static String page(int total, int from, Integer next, int samples) {
    return "{\"ready\":true,\"id\":1,\"trigger\":\"alarm\",\"uptimeMs\":5000,\"total\":"
        + total
        + ",\"triggerIndex\":0,\"from\":"
        + from
        + (next == null ? "" : ",\"next\":" + next)
        + ",\"samples\":["
        + String.join(",", java.util.Collections.nCopies(samples, SAMPLE))
        + "]}";
  }

  @Test
  void aWholeWindowIsReadAcrossPagesAndReleased() throws Exception {
    ScriptedLink link = new ScriptedLink(page(3, 0, 2, 2), page(3, 2, null, 1));

    var window = new CaptureReader(link).read(1).orElseThrow();

    assertThat(window.samples()).hasSize(3);
    assertThat(window.trigger()).isEqualTo("alarm");
    assertThat(link.requests).containsExactly("{\"from\":0}", "{\"from\":2}", "{\"release\":1}");
  }

  @Test
  void nothingPendingIsNothingRead() throws Exception {
    ScriptedLink link = new ScriptedLink("{\"ready\":false}");
    assertThat(new CaptureReader(link).read(1)).isEmpty();
    assertThat(link.requests).containsExactly("{\"from\":0}");
  }

  @Test
  void aWindowOutOfBoundsIsRefusedAndReleased() {
    List<String> broken =
        List.of(
            page(CaptureReader.MAX_SAMPLES + 1, 0, null, 1), // more samples than a device holds
            page(1, 0, null, 21), // a page larger than one frame of one input can carry
            page(2, 0, null, 1), // fewer samples than the header says
            page(1, 0, null, 1).replace("\"raw\":[1.0]", "\"raw\":[1.0,2.0]"), // not one per input
            page(3, 0, 0, 1)); // a next page that goes back
    for (String first : broken) {
      ScriptedLink link = new ScriptedLink(first, page(3, 0, null, 1));
      assertThatThrownBy(() -> new CaptureReader(link).read(1))
          .as(first)
          .isInstanceOf(CaptureReader.InvalidWindowException.class);
      assertThat(link.requests).as(first).last().isEqualTo("{\"release\":1}");
    }
  }
}
