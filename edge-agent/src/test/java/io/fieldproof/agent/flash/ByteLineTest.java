package io.fieldproof.agent.flash;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.testsupport.PtyBridge;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw bootloader lines over TCP and over a serial device (a socat pseudo-terminal): bytes arrive in
 * order, reads time out, and a closed serial line leaves no reader behind to take the bytes of the
 * next session on the same port. The test holds the pty open without reading it between sessions,
 * as a serial adapter stays plugged in, so socat does not end when a session closes.
 */
class ByteLineTest {

  private static final Duration WAIT = Duration.ofSeconds(3);

  @TempDir Path dir;

  /** Echoes every byte back. */
  private static LineProtocol echo(LinePort port) {
    return (data, offset, length) -> port.send(Arrays.copyOfRange(data, offset, offset + length));
  }

  private static String readText(ByteLine line, int bytes) throws Exception {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (int i = 0; i < bytes; i++) {
      int value = line.read(WAIT);
      if (value < 0) {
        break;
      }
      received.write(value);
    }
    return received.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void aTcpLineEchoesInOrderAndTimesOutWhenSilent() throws Exception {
    try (LineServer server = LineServer.start(0, LineSettings.ideal(), ByteLineTest::echo);
        ByteLine line = ByteLine.open(server.uri(), WAIT)) {
      line.write("sync".getBytes(StandardCharsets.US_ASCII));
      assertThat(readText(line, 4)).isEqualTo("sync");
      assertThat(line.read(Duration.ofMillis(100))).isEqualTo(-1);
    }
  }

  @Test
  void aClosedSerialLineLeavesNothingBehindForTheNextSession() throws Exception {
    try (LineServer server = LineServer.start(0, LineSettings.ideal(), ByteLineTest::echo);
        PtyBridge pty = PtyBridge.to(server.port(), dir);
        RandomAccessFile keepsThePtyOpen = new RandomAccessFile(pty.tty().toFile(), "r")) {
      String uri = "serial:" + pty.tty();
      for (int session = 0; session < 3; session++) {
        try (ByteLine line = ByteLine.open(uri, WAIT)) {
          String text = "session-" + session;
          line.write(text.getBytes(StandardCharsets.US_ASCII));
          assertThat(readText(line, text.length())).isEqualTo(text);
        }
      }
    }
  }
}
