package io.fieldproof.agent.capture;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Windows and a clock for the capture tests. */
final class TestWindows {

  static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

  private TestWindows() {}

  /** A JSON window of {@code device} whose body is {@code bodyBytes} long. */
  static CapturedWindow window(String device, String group, int bodyBytes, Instant triggeredAt) {
    StringBuilder body = new StringBuilder("{\"samples\":\"");
    while (body.length() < bodyBytes - 2) {
      body.append((char) ('a' + body.length() % 26));
    }
    body.append("\"}");
    return new CapturedWindow(
        device,
        "gw-1",
        group,
        "ab".repeat(32),
        7,
        "alarm",
        "esp32",
        triggeredAt,
        triggeredAt.minusSeconds(5),
        triggeredAt.plusSeconds(5),
        "application/json",
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A clock the test moves. */
  static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
