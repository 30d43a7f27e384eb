package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * The SYNC handshake: the ROM loader locks onto the baud rate from the SYNC pattern and answers it
 * eight times. A try sends one SYNC, waits briefly for the first good reply and reads the other
 * seven, so none is left to pass for the answer of a later command.
 */
final class RomSync {

  private static final Duration FIRST_REPLY = Duration.ofMillis(100);
  private static final int EXTRA_REPLIES = 7;
  private static final int REPLY_BYTES = 14;

  private RomSync() {}

  static void run(RomChannel channel, int attempts) throws FlashException {
    for (int i = 0; i < attempts; i++) {
      if (attempt(channel)) {
        return;
      }
    }
    throw new FlashException(
        FlashFailure.NO_SYNC,
        "no ESP32 ROM loader answered SYNC on %s in %d tries".formatted(channel.line(), attempts));
  }

  private static boolean attempt(RomChannel channel) throws FlashException {
    channel.line().discardInput();
    int sent = channel.send(RomRequest.sync());
    Duration firstWait = FIRST_REPLY.plus(channel.wire(sent + REPLY_BYTES).multipliedBy(2));
    if (!succeeded(channel, firstWait)) {
      return false;
    }
    Duration extraWait = FIRST_REPLY.plus(channel.wire(REPLY_BYTES).multipliedBy(2));
    for (int i = 0; i < EXTRA_REPLIES; i++) {
      if (channel.awaitReply(Opcode.SYNC, deadline(extraWait)).isEmpty()) {
        break;
      }
    }
    return true;
  }

  private static boolean succeeded(RomChannel channel, Duration wait) throws FlashException {
    try {
      Optional<RomResponse> reply = channel.awaitReply(Opcode.SYNC, deadline(wait));
      if (reply.isEmpty()) {
        return false;
      }
      reply.get().result(0);
      return true;
    } catch (FlashException e) {
      if (e.failure() == FlashFailure.LINK_LOST) {
        throw e;
      }
      return false;
    }
  }

  private static long deadline(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }
}
