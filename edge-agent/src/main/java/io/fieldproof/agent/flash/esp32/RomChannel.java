package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Commands and their replies over SLIP, with deadlines that scale with the line speed and the flash
 * work, and retries: a command that timed out, came back garbled or was refused is sent again,
 * unchanged, once the line has gone quiet and its input is dropped, so a late reply cannot pass for
 * the answer to the next command. A lost line is never retried.
 */
final class RomChannel {

  private static final int BITS_PER_BYTE = 10;
  private static final int REPLY_OVERHEAD = 8 + 4 + 2;
  private static final Duration QUIET = Duration.ofMillis(20);

  private final SlipLink link;
  private final EspRomOptions options;
  private int baud;

  RomChannel(ByteLine line, EspRomOptions options) {
    this.link = new SlipLink(line);
    this.options = options;
    this.baud = options.romBaud();
  }

  ByteLine line() {
    return link.line();
  }

  /** The line now runs at {@code newBaud}: deadlines follow. */
  void baud(int newBaud) {
    this.baud = newBaud;
  }

  /** Sends {@code request} until it succeeds or its attempts run out. */
  RomResult call(RomRequest request) throws FlashException {
    return call(request, options.attempts());
  }

  RomResult call(RomRequest request, int attempts) throws FlashException {
    FlashException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        RomResponse response = exchange(request);
        return new RomResult(response.value(), response.result(request.resultLength()));
      } catch (FlashException e) {
        if (e.failure() == FlashFailure.LINK_LOST) {
          throw e;
        }
        last = e;
        settle();
      }
    }
    throw last;
  }

  /** Sends {@code request} and returns the first reply to it, without checking its status. */
  RomResponse exchange(RomRequest request) throws FlashException {
    int sent = link.send(request.packet());
    long deadline = System.nanoTime() + timeout(request, sent).toNanos();
    Optional<RomResponse> response = awaitReply(request.op(), deadline);
    if (response.isEmpty()) {
      throw new FlashException(
          FlashFailure.TIMEOUT,
          "no reply to command 0x%02x from %s".formatted(request.op(), link.line()));
    }
    return response.get();
  }

  /**
   * The next reply to {@code op} before the deadline. Frames that are no reply are noise and
   * skipped, and so are the extra SYNC replies a loader sends; a reply to another command means the
   * loader did not get this one intact.
   */
  Optional<RomResponse> awaitReply(int op, long deadlineNanos) throws FlashException {
    while (true) {
      Optional<byte[]> frame = link.read(deadlineNanos);
      if (frame.isEmpty()) {
        return Optional.empty();
      }
      Optional<RomResponse> response = RomResponse.parse(frame.get());
      if (response.isPresent() && response.get().op() == op) {
        return response;
      }
      if (response.isPresent() && response.get().op() != Opcode.SYNC) {
        throw new FlashException(
            FlashFailure.GARBLED,
            "reply to 0x%02x while waiting for 0x%02x".formatted(response.get().op(), op));
      }
    }
  }

  /** Waits for the line to go quiet and drops what came: nothing stale is read as an answer. */
  void settle() throws FlashException {
    link.drain(QUIET.plus(wire(64)));
  }

  /** Sends a packet without waiting for anything. */
  int send(RomRequest request) throws FlashException {
    return link.send(request.packet());
  }

  /** The time {@code bytes} take on the line at its current speed. */
  Duration wire(int bytes) {
    return Duration.ofNanos(bytes * (long) BITS_PER_BYTE * 1_000_000_000L / baud);
  }

  private Duration timeout(RomRequest request, int sentBytes) {
    int replyBytes = REPLY_OVERHEAD + 2 * request.resultLength();
    return options
        .replyTimeout()
        .plus(wire(sentBytes + replyBytes).multipliedBy(2))
        .plus(request.work());
  }
}
